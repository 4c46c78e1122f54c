package io.mxcutover.sync.imapsync;

import io.mxcutover.sync.folder.FolderRewrite;
import io.mxcutover.sync.folder.FolderRules;
import io.mxcutover.sync.imap.ImapEndpoint;
import io.mxcutover.sync.plan.MessageFilter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * imapsync's command line, read into an {@link ImapsyncRequest}: a pure function of the arguments and the
 * environment ({@code IMAPSYNC_PASSWORD1/2}, as imapsync reads them). Options are written {@code --name value},
 * {@code --name=value} or with one dash, as imapsync's Getopt::Long takes them.
 *
 * <p>An option is taken with imapsync's meaning, or taken with a note when it only asks for what mxcutover
 * always does, or refused with the reason ({@link Refused}): an option that would delete, rewrite a message,
 * or mean something we cannot do the same way is never silently ignored. docs/reference/imapsync.md is the
 * table of every option.
 */
public final class ImapsyncOptions {
    /** The arguments cannot be run as asked; the message says which option and why. */
    public static final class Refused extends IllegalArgumentException {
        public Refused(String message) {
            super(message);
        }
    }

    /** Options taken with a value (their imapsync meaning). */
    static final Set<String> VALUED = Set.of(
            "host1",
            "host2",
            "port1",
            "port2",
            "user1",
            "user2",
            "password1",
            "password2",
            "passfile1",
            "passfile2",
            "authuser1",
            "authuser2",
            "authmech1",
            "authmech2",
            "sslargs1",
            "sslargs2",
            "folder",
            "include",
            "exclude",
            "regextrans2",
            "subfolder2",
            "maxage",
            "minage",
            // mxcutover's own: where the sync state and its key live (imapsync keeps none).
            "state",
            "key-file");

    /** Flags taken with their imapsync meaning. */
    static final Set<String> FLAGS =
            Set.of("ssl1", "ssl2", "tls1", "tls2", "automap", "noautomap", "dry", "justfolders", "justlogin");

    /** Flags that ask for what mxcutover always does: taken, with the reason printed. */
    static final Map<String, String> ALWAYS = Map.ofEntries(
            Map.entry("syncinternaldates", "INTERNALDATE is always kept"),
            Map.entry("noreleasecheck", "mxcutover never checks for releases"),
            Map.entry("nofoldersizes", "folder sizes are not computed before the copy"),
            Map.entry("nofoldersizesatend", "folder sizes are not computed after the copy"),
            Map.entry("nolog", "no imapsync log file is written; the run prints its report"),
            Map.entry("noexpunge2", "nothing is ever expunged on the new server"),
            Map.entry("nouidexpunge2", "nothing is ever expunged on the new server"),
            Map.entry("noexpunge1", "the legacy server is read-only"),
            Map.entry("subscribe", "subscribed source folders are subscribed on the new server"),
            Map.entry("useuid", "messages are always identified by the sync state and their identity"),
            Map.entry("usecache", "messages are always identified by the sync state and their identity"),
            Map.entry("skipsize", "size is part of the identity (docs/sync-identity.md)"),
            Map.entry("noskipsize", "size is part of the identity (docs/sync-identity.md)"));

    /** imapsync options refused, with the reason. */
    static final Map<String, String> REFUSED = refused();

    private ImapsyncOptions() {}

    /** Reads {@code args}; a {@link Refused} names the option and what to do instead. */
    public static ImapsyncRequest parse(List<String> args, Map<String, String> env) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        Set<String> flags = new java.util.LinkedHashSet<>();
        List<String> notes = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (i == 0 && a.equals("imapsync")) {
                continue; // the subcommand's own name
            }
            if (!a.startsWith("-") || a.equals("-") || a.equals("--")) {
                throw new Refused("unexpected argument '" + a + "': imapsync takes options only (--host1 ...)");
            }
            String name = a.replaceFirst("^--?", "");
            String inline = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                inline = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            name = name.toLowerCase(Locale.ROOT);
            if (REFUSED.containsKey(name)) {
                throw new Refused("--" + name + " is not supported: " + REFUSED.get(name));
            }
            if (VALUED.contains(name)) {
                String v = inline;
                if (v == null) {
                    if (i + 1 >= args.size()) {
                        throw new Refused("--" + name + " needs a value");
                    }
                    v = args.get(++i);
                }
                values.computeIfAbsent(name, n -> new ArrayList<>()).add(v);
            } else if (FLAGS.contains(name) || ALWAYS.containsKey(name)) {
                if (inline != null) {
                    throw new Refused("--" + name + " takes no value");
                }
                flags.add(name);
                if (ALWAYS.containsKey(name)) {
                    notes.add("--" + name + ": accepted, " + ALWAYS.get(name));
                }
            } else {
                throw new Refused("--" + name + " is not an imapsync option mxcutover knows; nothing was done"
                        + " (docs/reference/imapsync.md lists what is taken)");
            }
        }
        for (String once : List.of(
                "host1",
                "host2",
                "port1",
                "port2",
                "user1",
                "user2",
                "password1",
                "password2",
                "passfile1",
                "passfile2",
                "authuser1",
                "authuser2",
                "subfolder2",
                "maxage",
                "minage",
                "state",
                "key-file")) {
            if (values.getOrDefault(once, List.of()).size() > 1) {
                throw new Refused("--" + once + " is given more than once");
            }
        }
        if (flags.contains("automap") && flags.contains("noautomap")) {
            throw new Refused("--automap and --noautomap contradict each other; keep one");
        }
        if (flags.contains("justlogin") && flags.contains("justfolders")) {
            throw new Refused("--justlogin and --justfolders contradict each other; keep one");
        }
        ImapsyncRequest.Host host1 = host(values, flags, env, "1");
        ImapsyncRequest.Host host2 = host(values, flags, env, "2");
        for (String flag : List.of("folder", "include", "exclude", "subfolder2")) {
            for (String v : values.getOrDefault(flag, List.of())) {
                try {
                    var unused = new FolderRules(
                            List.of(),
                            List.of(),
                            Map.of(),
                            flag.equals("folder") ? List.of(v) : List.of(),
                            flag.equals("include") ? List.of(v) : List.of(),
                            flag.equals("exclude") ? List.of(v) : List.of(),
                            flag.equals("subfolder2") ? Optional.of(v) : Optional.empty(),
                            List.of(),
                            true);
                } catch (IllegalArgumentException e) {
                    throw new Refused("--" + flag + " " + e.getMessage());
                }
            }
        }
        FolderRules rules = new FolderRules(
                List.of(),
                List.of(),
                Map.of(),
                values.getOrDefault("folder", List.of()),
                values.getOrDefault("include", List.of()),
                values.getOrDefault("exclude", List.of()),
                one(values, "subfolder2"),
                rewrites(values.getOrDefault("regextrans2", List.of())),
                flags.contains("automap"));
        ImapsyncRequest.Mode mode = flags.contains("justlogin")
                ? ImapsyncRequest.Mode.JUST_LOGIN
                : flags.contains("justfolders") ? ImapsyncRequest.Mode.JUST_FOLDERS : ImapsyncRequest.Mode.SYNC;
        MessageFilter messages = new MessageFilter(
                one(values, "maxage").map(v -> days(v, "maxage")),
                one(values, "minage").map(v -> days(v, "minage")),
                mode == ImapsyncRequest.Mode.JUST_FOLDERS);
        return new ImapsyncRequest(
                host1,
                host2,
                rules,
                messages,
                mode,
                flags.contains("dry"),
                one(values, "state").map(Path::of),
                one(values, "key-file").map(Path::of),
                notes);
    }

    private static ImapsyncRequest.Host host(
            Map<String, List<String>> values, Set<String> flags, Map<String, String> env, String n) {
        String host = one(values, "host" + n)
                .orElseThrow(() -> new Refused("--host" + n + " is missing: the " + side(n) + " server's name"));
        String user = one(values, "user" + n)
                .orElseThrow(() ->
                        new Refused("--user" + n + " is missing: the mailbox's login on the " + side(n) + " server"));
        if (flags.contains("ssl" + n) && flags.contains("tls" + n)) {
            throw new Refused("--ssl" + n + " and --tls" + n + " contradict each other: --ssl" + n
                    + " is implicit TLS (port 993), --tls" + n + " STARTTLS (port 143); keep one");
        }
        ImapEndpoint.Security security = flags.contains("ssl" + n)
                ? ImapEndpoint.Security.TLS
                : flags.contains("tls" + n) ? ImapEndpoint.Security.STARTTLS : ImapEndpoint.Security.PLAIN_OR_STARTTLS;
        int port = one(values, "port" + n)
                .map(p -> port(p, "port" + n))
                .orElse(security == ImapEndpoint.Security.TLS ? 993 : 143);
        boolean trustAny = false;
        for (String arg : values.getOrDefault("sslargs" + n, List.of())) {
            if (arg.replace(" ", "").equalsIgnoreCase("SSL_verify_mode=0")) {
                trustAny = true;
            } else {
                throw new Refused("--sslargs" + n + " '" + arg + "' is not supported: only SSL_verify_mode=0"
                        + " (accept any certificate of this server) is; certificates are verified otherwise");
            }
        }
        for (String mech : values.getOrDefault("authmech" + n, List.of())) {
            if (!mech.equalsIgnoreCase("PLAIN") && !mech.equalsIgnoreCase("LOGIN")) {
                throw new Refused("--authmech" + n + " " + mech + " is not supported: logins use LOGIN, or SASL"
                        + " PLAIN with --authuser" + n + "; for OAuth2 use the appliance's mailbox list");
            }
        }
        Optional<String> password = one(values, "password" + n);
        Optional<Path> passfile = one(values, "passfile" + n).map(Path::of);
        if (password.isPresent() && passfile.isPresent()) {
            throw new Refused("--password" + n + " and --passfile" + n + " are both given; keep one");
        }
        if (password.isEmpty() && passfile.isEmpty()) {
            password = Optional.ofNullable(env.get("IMAPSYNC_PASSWORD" + n));
        }
        if (password.isEmpty() && passfile.isEmpty()) {
            throw new Refused("no password for --user" + n + ": give --passfile" + n + " FILE (best: not visible in"
                    + " ps), --password" + n + ", or IMAPSYNC_PASSWORD" + n + " in the environment; it is never"
                    + " asked for on the terminal");
        }
        return new ImapsyncRequest.Host(
                host, port, security, trustAny, user, password, passfile, one(values, "authuser" + n));
    }

    private static List<FolderRewrite> rewrites(List<String> perl) {
        List<FolderRewrite> out = new ArrayList<>();
        for (String p : perl) {
            try {
                out.add(FolderRewrite.of(p));
            } catch (IllegalArgumentException e) {
                throw new Refused("--regextrans2 " + e.getMessage());
            }
        }
        return out;
    }

    private static Optional<String> one(Map<String, List<String>> values, String name) {
        List<String> v = values.getOrDefault(name, List.of());
        return v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    private static int port(String v, String name) {
        try {
            int p = Integer.parseInt(v.strip());
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // fall through to the refusal
        }
        throw new Refused("--" + name + " '" + v + "' is not a port (1..65535)");
    }

    private static int days(String v, String name) {
        try {
            double d = Double.parseDouble(v.strip());
            if (d >= 0 && d == Math.rint(d) && d <= 100_000) {
                return (int) d;
            }
        } catch (NumberFormatException e) {
            // fall through to the refusal
        }
        throw new Refused(
                "--" + name + " '" + v + "' is not a whole number of days (fractions of a day are not" + " supported)");
    }

    private static String side(String n) {
        return n.equals("1") ? "legacy (source)" : "new (target)";
    }

    private static Map<String, String> refused() {
        String neverDelete = "the legacy server is read-only to mxcutover and nothing is ever deleted on the new"
                + " server (a message the user deleted there stays deleted, and a re-run never removes mail);"
                + " remove the option";
        String bytes = "mxcutover copies every message byte-exact (DKIM signatures stay valid) and never rewrites"
                + " one; remove the option";
        String identity = "a message's identity is fixed (Message-ID, size, INTERNALDATE and a header digest,"
                + " docs/sync-identity.md) and copies are recorded in the sync state, so re-runs never duplicate;"
                + " remove the option";
        String preset = "presets change message bytes and throttling for a provider; give --host/--ssl options"
                + " and the folder options you need instead";
        String folders = "not available; use --include/--exclude (regular expressions on legacy folder names)";
        Map<String, String> m = new LinkedHashMap<>();
        for (String o : List.of(
                "delete2",
                "delete1",
                "delete",
                "delete2folders",
                "delete2foldersonly",
                "delete2foldersbutnot",
                "delete2duplicates",
                "delete1emptyfolders",
                "expunge",
                "expunge1",
                "expunge2",
                "uidexpunge2",
                "expungeaftereach",
                "noexpungeaftereach",
                "move1")) {
            m.put(o, neverDelete);
        }
        for (String o : List.of(
                "regexmess",
                "pipemess",
                "regexflag",
                "addheader",
                "truncmess",
                "disarmreadreceipts",
                "maxlinelength",
                "maxlinelengthcmd",
                "idatefromheader")) {
            m.put(o, bytes);
        }
        for (String o : List.of("useheader", "skipheader", "syncduplicates", "skipcrossduplicates")) {
            m.put(o, identity);
        }
        for (String o :
                List.of("gmail1", "gmail2", "office1", "office2", "exchange1", "exchange2", "domino1", "domino2")) {
            m.put(o, preset);
        }
        m.put(
                "search",
                "raw IMAP SEARCH is not passed to the legacy server; --maxage/--minage select by age, every"
                        + " other message is copied");
        m.put("search1", m.get("search"));
        m.put("search2", m.get("search"));
        m.put(
                "maxsize",
                "every message is copied whatever its size (one the new server refuses is reported);"
                        + " remove the option");
        m.put("minsize", m.get("maxsize"));
        m.put("f1f2", "write the mapping as --regextrans2 's/^Legacy name$/New name/' (on new-server names)");
        m.put("folderrec", "use --include '^Name' (the folder and everything under it)");
        m.put("folderfirst", "folders are copied in the legacy server's order");
        m.put("folderlast", m.get("folderfirst"));
        m.put("subscribed", folders);
        m.put("subfolder1", "restoring from a subfolder of the new server is not what mxcutover does");
        m.put("prefix1", "the namespace prefix is read from the server (NAMESPACE)");
        m.put("prefix2", m.get("prefix1"));
        m.put("sep1", "the hierarchy separator is read from the server (LIST)");
        m.put("sep2", m.get("sep1"));
        m.put("justconnect", "use --justlogin (it connects and logs in on both servers)");
        m.put("justfoldersizes", "use ./mxcutover inventory (folders, counts, sizes and an estimate)");
        m.put("syncacls", "ACLs are not copied");
        m.put("syncflagsaftercopy", "flags are set with the APPEND and kept in step by later passes");
        m.put("resyncflags", m.get("syncflagsaftercopy"));
        m.put("noresyncflags", "flags the user changed on the new server are already kept (three-way merge)");
        m.put(
                "oauthaccesstoken1",
                "OAuth2 logins go through the appliance's mailbox list (./mxcutover sync --csv, oauth2 rows)");
        m.put("oauthaccesstoken2", m.get("oauthaccesstoken1"));
        m.put("oauthdirect1", m.get("oauthaccesstoken1"));
        m.put("oauthdirect2", m.get("oauthaccesstoken1"));
        m.put("proxyauth1", "use --authuser1 (SASL PLAIN with an authorization identity)");
        m.put("proxyauth2", "use --authuser2 (SASL PLAIN with an authorization identity)");
        m.put("domain1", "NTLM is not supported");
        m.put("domain2", "NTLM is not supported");
        m.put("authmd51", "CRAM-MD5 is not supported; use TLS (--ssl1/--tls1)");
        m.put("authmd52", "CRAM-MD5 is not supported; use TLS (--ssl2/--tls2)");
        m.put("maxbytespersecond", "throttling follows the servers' own slow-down replies (sync.throttle)");
        m.put("maxmessagespersecond", m.get("maxbytespersecond"));
        m.put("maxbytesafter", "stopping after a byte budget is not supported; run again later to continue");
        m.put("exitwhenover", m.get("maxbytesafter"));
        m.put("timeout", "timeouts are the sync's (sync.imap settings)");
        m.put("timeout1", m.get("timeout"));
        m.put("timeout2", m.get("timeout"));
        m.put("pidfile", "run one command per mailbox at a time; the sync state is shared safely");
        m.put("pidfilelocking", m.get("pidfile"));
        m.put("logfile", "the report goes to standard output; redirect it");
        m.put("logdir", m.get("logfile"));
        m.put("showpasswords", "passwords are never printed");
        m.put("errorsmax", "failed messages are recorded and retried by the next run; the exit code says so");
        m.put("emailreport1", "no report is appended to a mailbox");
        m.put("emailreport2", m.get("emailreport1"));
        m.put("addheader", bytes);
        return Map.copyOf(m);
    }
}
