package io.mxcutover.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the calls that bypass the injected time in a module's main sources: reading the time of day from the
 * system ({@code Instant.now()}, {@code System.currentTimeMillis()}, {@code LocalDateTime.now()}, ...,
 * {@code new Date()}), taking the system clock ({@code Clock.systemUTC()}), and blocking for a duration
 * ({@code Thread.sleep}, {@code TimeUnit.X.sleep}, {@code LockSupport.parkNanos}). Each module's
 * {@code *TimeIsInjectedTest} lists the few places allowed to make them (the sleeper, the entry points that
 * build the system clock); HACKING.md, "Time is injected", says why.
 *
 * <p>{@code System.nanoTime()} is not one of them: it measures how long something took (a latency, a
 * throughput, a network deadline) and is never a time of day. Lines that start as comments are not read.
 */
public final class TimeCalls {
    /** One call: the file relative to the scanned folder (with '/'), its line, what kind of call, the line. */
    public record Call(String file, int line, String kind, String text) {
        /** {@code file kind}, the form allowed calls are listed in. */
        public String where() {
            return file + " " + kind;
        }

        @Override
        public String toString() {
            return file + ":" + line + ": " + kind + ": " + text;
        }
    }

    private static final Pattern CALLS = Pattern.compile(
            "(?<now>\\b(?:Instant|LocalDateTime|LocalDate|LocalTime|ZonedDateTime|OffsetDateTime|OffsetTime|Year"
                    + "|YearMonth|MonthDay)\\.now\\s*\\()"
                    + "|(?<millis>\\bSystem\\s*\\.\\s*currentTimeMillis\\s*\\()"
                    + "|(?<date>\\bnew\\s+(?:java\\.util\\.)?Date\\s*\\(\\s*\\))"
                    + "|(?<clock>\\bClock\\s*\\.\\s*system(?:UTC|DefaultZone)?\\s*\\()"
                    + "|(?<sleep>\\bThread\\s*\\.\\s*sleep\\s*\\(|\\bTimeUnit\\s*\\.\\s*[A-Z]+\\s*\\.\\s*sleep\\s*\\()"
                    + "|(?<park>\\bLockSupport\\s*\\.\\s*park(?:Nanos|Until)\\s*\\()");
    private static final String[] KINDS = {"now", "millis", "date", "clock", "sleep", "park"};

    private TimeCalls() {}

    /** Every such call in the {@code .java} files under {@code sources}, in file and line order. */
    public static List<Call> in(Path sources) {
        if (!Files.isDirectory(sources)) {
            throw new IllegalArgumentException("no source folder " + sources.toAbsolutePath());
        }
        List<Call> calls = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String name = sources.relativize(file).toString().replace('\\', '/');
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i).strip();
                    if (line.startsWith("//") || line.startsWith("*") || line.startsWith("/*")) {
                        continue;
                    }
                    Matcher m = CALLS.matcher(line);
                    while (m.find()) {
                        calls.add(new Call(name, i + 1, kindOf(m), line));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return calls;
    }

    private static String kindOf(Matcher m) {
        for (String kind : KINDS) {
            if (m.group(kind) != null) {
                return kind;
            }
        }
        throw new IllegalStateException("no kind for " + m.group());
    }
}
