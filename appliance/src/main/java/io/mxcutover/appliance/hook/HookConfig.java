package io.mxcutover.appliance.hook;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code hooks:} section of the service YAML: the admin's commands and the events each runs on. A
 * command is a list (program, then arguments), run without a shell; the event's facts come in the
 * environment ({@code MXCUTOVER_EVENT}, {@code MXCUTOVER_DOMAIN}, {@code MXCUTOVER_MAILBOX},
 * {@code MXCUTOVER_BATCH}, {@code MXCUTOVER_DETAIL}, {@code MXCUTOVER_AT}).
 */
public class HookConfig {
    /** Hooks running at the same time; more wait their turn (the migration does not wait for them). */
    @Min(1)
    @Max(16)
    @JsonProperty
    public int parallel = 2;

    /** How long a hook may run before it is killed (and reported), unless the hook says otherwise. */
    @NotNull
    @JsonProperty
    public Duration timeout = Duration.seconds(30);

    @Valid
    @NotNull
    @JsonProperty
    public List<Command> commands = new ArrayList<>();

    /** One hook: a name for the audit log, its events, the program and arguments. */
    public static class Command {
        @JsonProperty
        public String name = "";

        @JsonProperty
        public List<HookEvent> events = new ArrayList<>();

        /** Program (an absolute path) and its arguments, one list element each; nothing is expanded. */
        @JsonProperty
        public List<String> command = new ArrayList<>();

        /** Overrides {@code hooks.timeout} for this hook. */
        @JsonProperty
        public Duration timeout;

        /** Where the hook runs; empty: the appliance's working directory. */
        @JsonProperty
        public String workingDirectory = "";
    }

    /** What is wrong with the hooks, one sentence each; empty when they can be used. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < commands.size(); i++) {
            Command c = commands.get(i);
            String where = "hooks.commands[" + i + "]";
            if (c.name == null || !c.name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
                problems.add(where + ".name '" + c.name + "' is not a name like notify-user (letters, digits, . _ -)");
            } else if (names.contains(c.name)) {
                problems.add(where + ".name " + c.name + " is used twice: give each hook its own name");
            }
            names.add(c.name);
            if (c.events == null || c.events.isEmpty()) {
                problems.add(where + ".events is empty: list one or more of mailbox-history-copied, mailbox-failed,"
                        + " batch-completed, domain-cut-over, window-closed, set-password");
            }
            if (c.command == null
                    || c.command.isEmpty()
                    || c.command.get(0) == null
                    || !Path.of(c.command.get(0)).isAbsolute()) {
                problems.add(where + ".command must start with the program's absolute path, e.g."
                        + " [\"/usr/local/bin/notify-user\", \"--quiet\"]; it runs without a shell");
            }
            Duration t = c.timeout == null ? timeout : c.timeout;
            if (t.toMilliseconds() < 1) {
                problems.add(where + ".timeout must be positive, e.g. 30s");
            }
        }
        if (timeout.toMilliseconds() < 1) {
            problems.add("hooks.timeout must be positive, e.g. 30s");
        }
        return problems;
    }
}
