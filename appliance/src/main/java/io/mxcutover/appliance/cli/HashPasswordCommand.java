package io.mxcutover.appliance.cli;

import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import io.mxcutover.appliance.auth.PasswordAuthenticator;
import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code ./mxcutover hash-password}: asks for a password (twice, without echo) or reads one line from
 * standard input when there is no terminal, and prints its bcrypt hash for {@code users[].passwordHash}.
 * The password is never taken from the command line, where it would land in the shell history.
 */
public final class HashPasswordCommand extends Command {
    public HashPasswordCommand() {
        super("hash-password", "Print a bcrypt hash of a password for the users section of the service YAML");
    }

    @Override
    public void configure(Subparser subparser) {}

    @Override
    public void run(Bootstrap<?> bootstrap, Namespace namespace) throws Exception {
        char[] password;
        @SuppressWarnings("SystemConsoleNull") // JDK 17: null is how "no terminal" shows (22+ would need isTerminal)
        Console console = System.console();
        if (console != null) {
            password = console.readPassword("Password: ");
            char[] again = console.readPassword("Again: ");
            if (password == null || !Arrays.equals(password, again)) {
                throw new IllegalArgumentException("the two passwords differ; nothing printed");
            }
        } else {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            password = line == null ? new char[0] : line.toCharArray();
        }
        if (password.length < 8) {
            throw new IllegalArgumentException("the password has fewer than 8 characters; choose a longer one");
        }
        System.out.println(PasswordAuthenticator.hash(password));
        Arrays.fill(password, '\0');
    }
}
