package io.mxcutover.appliance.plan;

import io.mxcutover.dnscheck.spf.SpfExpectation;
import io.mxcutover.sync.folder.FolderRules;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.commons.configuration2.YAMLConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.interpol.ConfigurationInterpolator;
import org.apache.commons.configuration2.interpol.DefaultLookups;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.commons.text.similarity.LevenshteinDistance;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads and validates a migration plan file as a whole, with Apache Commons Configuration.
 *
 * <p>Every problem is collected (not only the first), each naming file, line, key and a fix. Only
 * {@code ${env:NAME}} is interpolated: the plan is edited by admins and its values can reach the API,
 * so Commons Configuration's {@code file:}, {@code sys:}, {@code url:} ... lookups are not available.
 */
public final class PlanReader {
    public static final Duration DEFAULT_CATCH_UP_WINDOW = Duration.ofHours(48);
    public static final Duration DEFAULT_QUIET_PERIOD = Duration.ofHours(6);

    private static final Pattern DOMAIN =
            Pattern.compile("(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern LOCAL_PART = Pattern.compile("[A-Za-z0-9!#$&'*+/=?^_`{|}~.-]{1,64}");

    /** The outcome: a plan when there is no problem, the problems otherwise. */
    public record Result(Optional<MigrationPlan> plan, List<PlanProblem> problems) {
        public Result {
            problems = List.copyOf(problems);
        }

        public boolean ok() {
            return plan.isPresent();
        }
    }

    private PlanReader() {}

    public static Result read(Path file) {
        return read(file, Set.of());
    }

    /**
     * As {@link #read(Path)}, and {@code ownHosts} (the appliance's own host names, e.g. the relay's
     * {@code hostname}) must not be listed as the new provider's MX.
     */
    public static Result read(Path file, Set<String> ownHosts) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            return failed(new PlanProblem(
                    file,
                    0,
                    "",
                    "cannot read the plan file: " + e,
                    "check the path 'plan:' in the service YAML and the file's permissions"));
        }
        return read(file, new String(bytes, StandardCharsets.UTF_8), fingerprint(bytes), ownHosts);
    }

    static Result read(Path file, String text, String fingerprint) {
        return read(file, text, fingerprint, Set.of());
    }

    static Result read(Path file, String text, String fingerprint, Set<String> ownHosts) {
        YAMLConfiguration config = new YAMLConfiguration();
        config.setInterpolator(envOnlyInterpolator());
        try {
            config.read(new StringReader(text));
        } catch (ConfigurationException | RuntimeException e) {
            return failed(syntaxProblem(file, e));
        }
        Walker w = new Walker(file, YamlLines.index(text), config.getInterpolator(), ownHosts);
        MigrationPlan plan = w.plan(config.getNodeModel().getNodeHandler().getRootNode(), fingerprint);
        return w.problems.isEmpty()
                ? new Result(Optional.of(plan), List.of())
                : new Result(Optional.empty(), w.problems);
    }

    static ConfigurationInterpolator envOnlyInterpolator() {
        ConfigurationInterpolator ci = new ConfigurationInterpolator();
        ci.registerLookup("env", DefaultLookups.ENVIRONMENT.getLookup());
        return ci;
    }

    private static Result failed(PlanProblem p) {
        return new Result(Optional.empty(), List.of(p));
    }

    private static PlanProblem syntaxProblem(Path file, Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYAMLException m && m.getProblemMark() != null) {
                return new PlanProblem(
                        file,
                        m.getProblemMark().getLine() + 1,
                        "",
                        "YAML syntax error: " + m.getProblem(),
                        "check indentation and quoting on that line");
            }
        }
        return new PlanProblem(
                file, 0, "", "not a readable YAML file: " + e.getMessage(), "compare with conf/plan.yml");
    }

    private static String fingerprint(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Walks the parsed tree against the plan's schema, collecting problems. */
    private static final class Walker {
        private final Path file;
        private final YamlLines lines;
        private final ConfigurationInterpolator interpolator;
        private final Set<String> ownHosts;
        private final List<PlanProblem> problems = new ArrayList<>();

        Walker(Path file, YamlLines lines, ConfigurationInterpolator interpolator, Set<String> ownHosts) {
            this.file = file;
            this.lines = lines;
            this.interpolator = interpolator;
            this.ownHosts = ownHosts.stream()
                    .map(h -> h.toLowerCase(Locale.ROOT).replaceAll("\\.$", ""))
                    .collect(java.util.stream.Collectors.toSet());
        }

        MigrationPlan plan(ImmutableNode root, String fingerprint) {
            Map<String, List<ImmutableNode>> top = children(root, "", Set.of("window", "domains"));
            Duration window = DEFAULT_CATCH_UP_WINDOW;
            Duration quiet = DEFAULT_QUIET_PERIOD;
            if (top.containsKey("window")) {
                ImmutableNode w = single(top.get("window"), "window");
                Map<String, List<ImmutableNode>> wk = children(w, "window", Set.of("catchUp", "quietPeriod"));
                window = scalar(wk, "window", "catchUp")
                        .flatMap(v -> duration(v, "window.catchUp"))
                        .orElse(window);
                quiet = scalar(wk, "window", "quietPeriod")
                        .flatMap(v -> duration(v, "window.quietPeriod"))
                        .orElse(quiet);
            }
            List<DomainPlan> domains = new ArrayList<>();
            List<ImmutableNode> listed = top.getOrDefault("domains", List.of());
            if (listed.isEmpty()) {
                problem(
                        "domains",
                        "no domain is listed",
                        "add at least one entry under 'domains:' (see conf/plan.yml)");
            }
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < listed.size(); i++) {
                String key = "domains[" + i + "]";
                DomainPlan d = domain(listed.get(i), key);
                if (d != null && !seen.add(d.name())) {
                    problem(key + ".name", "domain " + d.name() + " is listed twice", "keep one entry per domain");
                } else if (d != null) {
                    domains.add(d);
                }
            }
            return new MigrationPlan(file, fingerprint, window, quiet, domains);
        }

        private DomainPlan domain(ImmutableNode node, String key) {
            Map<String, List<ImmutableNode>> c = children(
                    node,
                    key,
                    Set.of(
                            "name",
                            "includeSubdomains",
                            "softBounce",
                            "legacy",
                            "new",
                            "recipients",
                            "requireLegacySpfGone",
                            "flow",
                            "appliance",
                            "folders",
                            "mailboxes"));
            int before = problems.size();
            String name =
                    scalar(c, key, "name").map(v -> v.toLowerCase(Locale.ROOT)).orElse(null);
            if (name == null) {
                problem(key + ".name", "the domain has no name", "add 'name: example.com'");
            } else if (!DOMAIN.matcher(name).matches()) {
                problem(
                        key + ".name",
                        "'" + name + "' is not a domain name",
                        "write the bare domain, e.g. example.com");
            }
            boolean subdomains = scalar(c, key, "includeSubdomains")
                    .map(v -> bool(v, key + ".includeSubdomains"))
                    .orElse(false);
            boolean softBounce = scalar(c, key, "softBounce")
                    .map(v -> bool(v, key + ".softBounce"))
                    .orElse(true);
            boolean legacySpfGone = scalar(c, key, "requireLegacySpfGone")
                    .map(v -> bool(v, key + ".requireLegacySpfGone"))
                    .orElse(false);
            Side legacy = side(c, key, "legacy");
            Side target = side(c, key, "new");
            if (legacy != null && target != null) spfRules(key, legacy, target, legacySpfGone);
            if (target != null && target.mx().isEmpty()) {
                problem(
                        key + ".new.mx",
                        "the MX host names the domain is moving to are missing",
                        "add 'mx: [mx1.new-provider.example]' under 'new:'");
            }
            List<String> applianceMx = List.of();
            if (c.containsKey("appliance")) {
                Map<String, List<ImmutableNode>> a =
                        children(single(c.get("appliance"), key + ".appliance"), key + ".appliance", Set.of("mx"));
                applianceMx = list(a, key + ".appliance", "mx", PlanReader::hostName);
            }
            Optional<MxFlow> written = scalar(c, key, "flow").flatMap(v -> {
                Optional<MxFlow> f = MxFlow.of(v);
                if (f.isEmpty()) {
                    problem(
                            key + ".flow",
                            "'" + v + "' is not a flow",
                            "write 'flow: relay-first' (MX legacy -> appliance before the history copy) or "
                                    + "'flow: switch-at-go-live' (MX legacy -> new provider at go-live)");
                }
                return f;
            });
            // Without 'flow:', a plan naming the appliance's MX hosts is relay-first; any other is switch-at-go-live.
            MxFlow flow = written.orElse(applianceMx.isEmpty() ? MxFlow.SWITCH_AT_GO_LIVE : MxFlow.RELAY_FIRST);
            if (legacy != null && target != null)
                flowRules(key, flow, written.isPresent(), legacy, target, applianceMx);
            List<String> recipients = new ArrayList<>();
            List<ImmutableNode> rs = c.getOrDefault("recipients", List.of());
            for (int i = 0; i < rs.size(); i++) {
                String rk = key + ".recipients[" + i + "]";
                value(rs.get(i), rk).ifPresent(r -> {
                    if (LOCAL_PART.matcher(r).matches()) recipients.add(r.toLowerCase(Locale.ROOT));
                    else
                        problem(
                                rk,
                                "'" + r + "' is not a local part",
                                "list local parts only, e.g. 'alice' for alice@" + name);
                });
            }
            FolderRules folders = c.containsKey("folders")
                    ? folderRules(single(c.get("folders"), key + ".folders"), key + ".folders")
                    : FolderRules.ALL;
            Map<String, FolderRules> mailboxFolders = mailboxes(c.getOrDefault("mailboxes", List.of()), key, name);
            if (problems.size() > before) return null;
            return new DomainPlan(
                            name, subdomains, softBounce, legacy, target, recipients, legacySpfGone, flow, applianceMx)
                    .withFolders(folders, mailboxFolders);
        }

        /** {@code mailboxes: [ { address: a@domain, folders: {...} } ]}: single mailboxes' own folder rules. */
        private Map<String, FolderRules> mailboxes(List<ImmutableNode> nodes, String key, String domain) {
            Map<String, FolderRules> out = new LinkedHashMap<>();
            for (int i = 0; i < nodes.size(); i++) {
                String mk = key + ".mailboxes[" + i + "]";
                Map<String, List<ImmutableNode>> m = children(nodes.get(i), mk, Set.of("address", "folders"));
                Optional<String> address =
                        scalar(m, mk, "address").map(a -> a.strip().toLowerCase(Locale.ROOT));
                if (address.isEmpty()) {
                    problem(mk + ".address", "the mailbox has no address", "add 'address: alice@" + domain + "'");
                    continue;
                }
                String a = address.get();
                int at = a.lastIndexOf('@');
                if (at <= 0 || !DOMAIN.matcher(a.substring(at + 1)).matches()) {
                    problem(mk + ".address", "'" + a + "' is not a mailbox address", "write user@" + domain);
                    continue;
                }
                String of = a.substring(at + 1);
                if (domain != null && !of.equals(domain) && !of.endsWith("." + domain)) {
                    problem(
                            mk + ".address",
                            "'" + a + "' is not a mailbox of " + domain,
                            "list it under its own domain's 'mailboxes:'");
                    continue;
                }
                if (!m.containsKey("folders")) {
                    problem(mk, "the mailbox entry has no 'folders:'", "add 'folders: { exclude: [ Junk ] }'");
                    continue;
                }
                FolderRules rules = folderRules(single(m.get("folders"), mk + ".folders"), mk + ".folders");
                if (out.put(a, rules) != null) {
                    problem(mk + ".address", "mailbox " + a + " is listed twice", "keep one entry per mailbox");
                }
            }
            return out;
        }

        /**
         * {@code folders: { include: [..], exclude: [..], rename: [ { from: A, to: B } ] }}: patterns and paths on
         * the canonical folder path ({@code Archive/2019}); each invalid one is a problem at its own line.
         */
        private FolderRules folderRules(ImmutableNode node, String key) {
            Map<String, List<ImmutableNode>> f = children(node, key, Set.of("include", "exclude", "rename"));
            String patternFix = "a folder path with '/' between levels; '*' any text, '%' any text within one level"
                    + " (e.g. Junk, Archive/*)";
            List<String> include = list(
                    f, key, "include", v -> checked(new FolderRules(List.of(v), List.of(), Map.of()), v), patternFix);
            List<String> exclude = list(
                    f, key, "exclude", v -> checked(new FolderRules(List.of(), List.of(v), Map.of()), v), patternFix);
            Map<String, String> rename = new LinkedHashMap<>();
            List<ImmutableNode> renames = f.getOrDefault("rename", List.of());
            for (int i = 0; i < renames.size(); i++) {
                String rk = key + ".rename[" + i + "]";
                Map<String, List<ImmutableNode>> r = children(renames.get(i), rk, Set.of("from", "to"));
                Optional<String> from = scalar(r, rk, "from");
                Optional<String> to = scalar(r, rk, "to");
                if (from.isEmpty() || to.isEmpty()) {
                    problem(
                            rk,
                            "a rename needs 'from' and 'to'",
                            "write '- { from: \"Old Stuff\", to: \"Archive/Old\" }'");
                    continue;
                }
                try {
                    var unused = new FolderRules(List.of(), List.of(), Map.of(from.get(), to.get()));
                } catch (IllegalArgumentException e) {
                    problem(rk, e.getMessage(), "folder paths with '/' between levels, e.g. Archive/Old");
                    continue;
                }
                if (rename.put(from.get(), to.get()) != null) {
                    problem(rk + ".from", "folder '" + from.get() + "' is renamed twice", "keep one rename");
                }
            }
            return new FolderRules(include, exclude, rename);
        }

        /** {@code value}, once {@code rules} built from it (an invalid pattern has thrown by then). */
        private static String checked(FolderRules rules, String value) {
            java.util.Objects.requireNonNull(rules);
            return value;
        }

        private Side side(Map<String, List<ImmutableNode>> c, String parent, String which) {
            String key = parent + "." + which;
            if (!c.containsKey(which)) {
                problem(
                        key,
                        "the '" + which + "' server is missing",
                        "add '" + which + ":' with 'smtp:', 'imap:' and 'mx:' (see conf/plan.yml)");
                return null;
            }
            Map<String, List<ImmutableNode>> s =
                    children(single(c.get(which), key), key, Set.of("smtp", "imap", "mx", "spf"));
            List<PlanHostPort> smtp = list(s, key, "smtp", PlanHostPort::of);
            if (!s.containsKey("smtp")) {
                problem(
                        key + ".smtp",
                        "no SMTP next hop for the " + which + " server",
                        "add 'smtp: [host:port]' (the relay connects there directly, no MX lookup)");
            }
            Optional<PlanImapUrl> imap = scalar(s, key, "imap").flatMap(v -> parse(v, key + ".imap", PlanImapUrl::of));
            List<String> mx = list(s, key, "mx", PlanReader::hostName);
            List<String> spf = list(
                    s,
                    key,
                    "spf",
                    PlanReader::spfMechanism,
                    "one mechanism per entry, quoted, e.g. spf: [ \"include:spf." + which + "-provider.example\" ]");
            return new Side(smtp, imap, mx, spf);
        }

        /**
         * The MX sets must fit the flow: relay-first needs the appliance's hosts (its first switch anchors
         * the window); no set may list a host of another (the window starts when no authoritative server
         * lists a legacy host, and the appliance can only be retired once none lists its host).
         */
        private void flowRules(
                String key, MxFlow flow, boolean flowWritten, Side legacy, Side target, List<String> applianceMx) {
            if (flow == MxFlow.RELAY_FIRST && applianceMx.isEmpty()) {
                problem(
                        key + ".flow",
                        "flow relay-first needs the appliance's own MX host names: the catch-up "
                                + "window starts when they replace the legacy MX",
                        "add 'appliance: { mx: [ mx.appliance.example ] }' (the host names of this appliance that "
                                + "the MX points at in step 2), or write 'flow: switch-at-go-live'");
            }
            if (flow == MxFlow.SWITCH_AT_GO_LIVE && flowWritten && !applianceMx.isEmpty()) {
                problem(
                        key + ".appliance",
                        "appliance.mx is only used with flow: relay-first (in switch-at-go-live "
                                + "the MX moves from legacy straight to new.mx)",
                        "write 'flow: relay-first' if the MX points at the appliance first, or remove 'appliance:'");
            }
            for (int i = 0; i < target.mx().size(); i++) {
                String h = target.mx().get(i);
                if (ownHosts.contains(h) && !applianceMx.contains(h)) {
                    problem(
                            key + ".new.mx[" + i + "]",
                            "'" + h + "' is this appliance's own host name (relay.hostname), "
                                    + "but new.mx is the new provider's MX",
                            flow == MxFlow.RELAY_FIRST
                                    ? "list it under 'appliance: mx:' and the new provider's MX "
                                            + "hosts under 'new: mx:'"
                                    : "if the MX points at the appliance first, write "
                                            + "'flow: relay-first' with 'appliance: { mx: [ " + h + " ] }' and the new "
                                            + "provider's MX hosts under 'new: mx:'; otherwise list the new provider's MX here");
                } else if (applianceMx.contains(h)) {
                    problem(
                            key + ".new.mx[" + i + "]",
                            "'" + h + "' is the appliance's own host (appliance.mx), "
                                    + "but new.mx is the new provider's MX (in relay-first: the last switch, appliance -> new)",
                            "list the new provider's MX hosts under 'new: mx:' and the appliance's under "
                                    + "'appliance: mx:'");
                } else if (legacy.mx().contains(h)) {
                    problem(
                            key + ".new.mx[" + i + "]",
                            "'" + h + "' is also a legacy MX host (legacy.mx): the "
                                    + "catch-up window starts only once no authoritative server lists a legacy host",
                            "list under 'new: mx:' only the hosts the domain moves to");
                }
            }
            for (int i = 0; i < applianceMx.size(); i++) {
                String h = applianceMx.get(i);
                if (legacy.mx().contains(h)) {
                    problem(
                            key + ".appliance.mx[" + i + "]",
                            "'" + h + "' is also a legacy MX host (legacy.mx)",
                            "list under 'appliance: mx:' only this appliance's host names");
                }
            }
        }

        /** The SPF expectation must be one the DNS watcher can hold: nothing both required and forbidden. */
        private void spfRules(String key, Side legacy, Side target, boolean legacySpfGone) {
            if (!legacySpfGone) return;
            if (legacy.spf().isEmpty()) {
                problem(
                        key + ".requireLegacySpfGone",
                        "nothing to check: 'legacy.spf' lists no mechanism",
                        "list the legacy provider's mechanisms, e.g. spf: [ \"include:spf.legacy-provider.example\" ] "
                                + "under 'legacy:', or remove requireLegacySpfGone");
                return;
            }
            List<String> required =
                    target.spf().stream().map(SpfExpectation::normalize).toList();
            for (int i = 0; i < legacy.spf().size(); i++) {
                String term = legacy.spf().get(i);
                if (required.contains(SpfExpectation.normalize(term))) {
                    problem(
                            key + ".legacy.spf[" + i + "]",
                            "'" + term + "' is required by new.spf and must be gone "
                                    + "by legacy.spf (requireLegacySpfGone)",
                            "remove it from one of the two lists");
                }
            }
        }

        private <T> List<T> list(
                Map<String, List<ImmutableNode>> c, String parent, String name, Function<String, T> parser) {
            return list(c, parent, name, parser, "");
        }

        private <T> List<T> list(
                Map<String, List<ImmutableNode>> c,
                String parent,
                String name,
                Function<String, T> parser,
                String fix) {
            List<T> out = new ArrayList<>();
            List<ImmutableNode> nodes = c.getOrDefault(name, List.of());
            for (int i = 0; i < nodes.size(); i++) {
                String key = parent + "." + name + "[" + i + "]";
                value(nodes.get(i), key)
                        .flatMap(v -> parse(v, key, parser, fix))
                        .ifPresent(out::add);
            }
            return out;
        }

        private <T> Optional<T> parse(String v, String key, Function<String, T> parser) {
            return parse(v, key, parser, "");
        }

        private <T> Optional<T> parse(String v, String key, Function<String, T> parser, String fix) {
            try {
                return Optional.of(parser.apply(v));
            } catch (IllegalArgumentException e) {
                problem(key, e.getMessage(), fix);
                return Optional.empty();
            }
        }

        private Map<String, List<ImmutableNode>> children(ImmutableNode node, String key, Set<String> allowed) {
            Map<String, List<ImmutableNode>> out = new LinkedHashMap<>();
            if (node == null) return out;
            for (ImmutableNode child : node.getChildren()) {
                String name = child.getNodeName();
                String ck = key.isEmpty() ? name : key + "." + name;
                if (!allowed.contains(name)) {
                    problem(ck, "unknown key '" + name + "'", suggestion(name, allowed));
                    continue;
                }
                out.computeIfAbsent(name, n -> new ArrayList<>()).add(child);
            }
            return out;
        }

        private ImmutableNode single(List<ImmutableNode> nodes, String key) {
            if (nodes.size() > 1) problem(key, "'" + key + "' is given more than once", "keep one");
            return nodes.get(0);
        }

        private Optional<String> scalar(Map<String, List<ImmutableNode>> c, String parent, String name) {
            List<ImmutableNode> nodes = c.get(name);
            if (nodes == null || nodes.isEmpty()) return Optional.empty();
            String key = parent.isEmpty() ? name : parent + "." + name;
            return value(single(nodes, key), key);
        }

        private Optional<String> value(ImmutableNode node, String key) {
            if (!node.getChildren().isEmpty() || node.getValue() == null) {
                problem(key, "expected a single value here", "write 'key: value'");
                return Optional.empty();
            }
            Object raw = node.getValue();
            Object v = raw instanceof String s ? interpolator.interpolate(s) : raw;
            String text = String.valueOf(v).strip();
            if (text.contains("${")) {
                problem(
                        key,
                        "'" + raw + "' has a variable that cannot be resolved",
                        "only ${env:NAME} is allowed, and NAME must be set in the service's environment");
                return Optional.empty();
            }
            return Optional.of(text);
        }

        private Optional<Duration> duration(String v, String key) {
            try {
                Duration d =
                        Duration.ofNanos(io.dropwizard.util.Duration.parse(v).toNanoseconds());
                if (d.isNegative()) throw new IllegalArgumentException("negative");
                return Optional.of(d);
            } catch (IllegalArgumentException e) {
                problem(key, "'" + v + "' is not a duration", "write e.g. 48h, 90m or 3d");
                return Optional.empty();
            }
        }

        private boolean bool(String v, String key) {
            if (v.equalsIgnoreCase("true")) return true;
            if (v.equalsIgnoreCase("false")) return false;
            problem(key, "'" + v + "' is not true or false", "write true or false");
            return false;
        }

        private void problem(String key, String what, String fix) {
            problems.add(new PlanProblem(file, lines.lineOf(key), key, what, fix));
        }

        private static String suggestion(String name, Set<String> allowed) {
            LevenshteinDistance distance = LevenshteinDistance.getDefaultInstance();
            String lower = name.toLowerCase(Locale.ROOT);
            return allowed.stream()
                    .filter(a -> distance.apply(a.toLowerCase(Locale.ROOT), lower) <= 2)
                    .min(java.util.Comparator.comparingInt(
                                    (String a) -> distance.apply(a.toLowerCase(Locale.ROOT), lower))
                            .thenComparing(a -> a))
                    .map(a -> "did you mean '" + a + "'?")
                    .orElse("allowed here: "
                            + String.join(", ", allowed.stream().sorted().toList()));
        }
    }

    /** An SPF mechanism as written (validated by the DNS watcher's own rule, so both agree). */
    static String spfMechanism(String v) {
        SpfExpectation.term(v);
        return v.strip();
    }

    static String hostName(String v) {
        String h = v.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) h = h.substring(0, h.length() - 1);
        if (!DOMAIN.matcher(h).matches()) {
            throw new IllegalArgumentException("'" + v + "' is not a host name (example: mx1.new-provider.example)");
        }
        return h;
    }
}
