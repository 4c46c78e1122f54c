package io.mxcutover.sync.testing;

import io.mxcutover.sync.cli.SyncCli;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

/**
 * {@code mxcutover sync} run again and again in one long-lived JVM, the way the appliance's daemon copies
 * (its JIT warm after the first pass), for bench/sync/run.sh's "mxcutover-warm" tool. Each line "run" on
 * stdin runs {@link SyncCli} once with the program arguments (output to stderr) and answers
 * "done EXIT CPU_MS" on stdout (CPU: this JVM's, all threads, during the run); "quit" or end of input stops.
 */
public final class WarmCliMain {
    private WarmCliMain() {}

    public static void main(String[] args) throws Exception {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        PrintStream answers = System.out;
        PrintStream log = System.err;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
            if (!line.equals("run")) {
                answers.println("error unknown command: " + line);
                answers.flush();
                continue;
            }
            long cpu = os.getProcessCpuTime();
            int exit = SyncCli.run(args, log, log, TestState::open);
            answers.println("done " + exit + " " + (os.getProcessCpuTime() - cpu) / 1_000_000);
            answers.flush();
        }
    }
}
