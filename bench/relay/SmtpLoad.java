import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.conscrypt.Conscrypt;

/**
 * SMTP load client for bench/relay/run.sh's TLS mode with CLIENT=java: what smtp-load.py does (one message per
 * connection, SESSIONS connections at once, no pipelining, a fixed-size body, STARTTLS, the server's certificate
 * checked against CAFILE, sessions resumed from the client's session cache), with BoringSSL (Conscrypt) as its
 * TLS and no interpreter lock, so that the client takes less of a small box's CPU than the servers it measures.
 * The Python client spends ~2 ms of CPU per STARTTLS message on one core: on 2 cores it capped what any server
 * could be shown to do.
 *
 * <p>usage: SmtpLoad -s SESSIONS -m MESSAGES -l LENGTH --starttls CAFILE HOST:PORT. Prints one line:
 * "start_epoch_s end_epoch_s sent failed resumed". With {@code --serve} instead of the other options it reads one
 * run per line from stdin, "HOST:PORT SESSIONS MESSAGES LENGTH", and answers each with that line, so that one JVM,
 * warmed by the bench's warm-up rounds, sends every measured run. Loopback only; every socket has a 30 s timeout.
 */
public final class SmtpLoad {

    private SmtpLoad() {}

    public static void main(String[] args) throws Exception {
        int sessions = 1;
        int messages = 1;
        int length = 100;
        boolean serve = false;
        String caFile = null;
        String target = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-s" -> sessions = Integer.parseInt(args[++i]);
                case "-m" -> messages = Integer.parseInt(args[++i]);
                case "-l" -> length = Integer.parseInt(args[++i]);
                case "--serve" -> serve = true;
                case "--starttls" -> caFile = args[++i];
                default -> target = args[i];
            }
        }
        if (caFile == null || (target == null && !serve)) {
            System.err.println("usage: SmtpLoad -s SESSIONS -m MESSAGES -l LENGTH --starttls CAFILE HOST:PORT"
                    + " | SmtpLoad --serve --starttls CAFILE");
            System.exit(2);
        }
        SSLContext tls = clientContext(Path.of(caFile));
        if (!serve) {
            System.exit(runAndPrint(tls, target, sessions, messages, length) ? 0 : 1);
        }
        java.io.BufferedReader commands =
                new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.US_ASCII));
        String line;
        while ((line = commands.readLine()) != null) {
            String[] f = line.trim().split("\\s+");
            runAndPrint(tls, f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]));
        }
    }

    static boolean runAndPrint(SSLContext tls, String target, int sessions, int messages, int length)
            throws InterruptedException {
        String host = target.substring(0, target.lastIndexOf(':'));
        int port = Integer.parseInt(target.substring(target.lastIndexOf(':') + 1));
        long start = System.currentTimeMillis();
        int[] r = run(host, port, tls, message(length), sessions, messages);
        long end = System.currentTimeMillis();
        System.out.printf("%.3f %.3f %d %d %d%n", start / 1000.0, end / 1000.0, r[0], r[1], r[2]);
        System.out.flush();
        return r[1] == 0;
    }

    /** Sends {@code count} messages over {@code sessions} threads: {sent, failed, resumed}. */
    static int[] run(String host, int port, SSLContext tls, byte[] message, int sessions, int count)
            throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger resumed = new AtomicInteger();
        Thread[] threads = new Thread[sessions];
        for (int t = 0; t < sessions; t++) {
            threads[t] = new Thread(() -> {
                while (next.getAndIncrement() < count) {
                    try {
                        if (one(host, port, tls, message)) {
                            resumed.incrementAndGet();
                        }
                        sent.incrementAndGet();
                    } catch (IOException | RuntimeException e) {
                        failed.incrementAndGet();
                        System.err.println("smtp-load: " + e);
                    }
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        return new int[] {sent.get(), failed.get(), resumed.get()};
    }

    /** One message on its own connection; true when the TLS session was resumed. */
    static boolean one(String host, int port, SSLContext tls, byte[] message) throws IOException {
        long began = System.currentTimeMillis();
        try (Socket plain = new Socket()) {
            plain.setTcpNoDelay(true);
            plain.setSoTimeout(30_000);
            plain.connect(new InetSocketAddress(host, port), 30_000);
            InputStream in = new BufferedInputStream(plain.getInputStream());
            OutputStream out = plain.getOutputStream();
            expect(in, 220, "banner");
            command(out, "EHLO client.bench.test");
            expect(in, 250, "EHLO");
            command(out, "STARTTLS");
            expect(in, 220, "STARTTLS");
            SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(plain, host, port, true);
            Conscrypt.setUseSessionTickets(s, true);
            s.startHandshake();
            // a resumed session is the one made by an earlier connection
            boolean resumed = s.getSession().getCreationTime() < began;
            in = new BufferedInputStream(s.getInputStream());
            out = s.getOutputStream();
            command(out, "EHLO client.bench.test");
            expect(in, 250, "EHLO after STARTTLS");
            command(out, "MAIL FROM:<alice@sender.test>");
            expect(in, 250, "MAIL");
            command(out, "RCPT TO:<bob@example.test>");
            expect(in, 250, "RCPT");
            command(out, "DATA");
            expect(in, 354, "DATA");
            out.write(message);
            out.flush();
            expect(in, 250, "end of DATA");
            command(out, "QUIT");
            try {
                reply(in);
            } catch (IOException e) {
                // the server may close first
            }
            return resumed;
        }
    }

    static void command(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    static void expect(InputStream in, int code, String what) throws IOException {
        String r = reply(in);
        if (!r.startsWith(Integer.toString(code))) {
            throw new IOException(what + ": expected " + code + ", got " + r.strip());
        }
    }

    /** A whole reply, multi-line ones too; its last line. */
    static String reply(InputStream in) throws IOException {
        while (true) {
            ByteArrayOutputStream line = new ByteArrayOutputStream(128);
            int b;
            while ((b = in.read()) != -1 && b != '\n') {
                line.write(b);
            }
            if (b == -1) {
                throw new IOException("connection closed");
            }
            String l = line.toString(StandardCharsets.US_ASCII);
            if (l.length() < 4 || l.charAt(3) != '-') {
                return l;
            }
        }
    }

    /** Headers and a body of about {@code length} bytes in 74-byte lines, like smtp-source's, ending in ".". */
    static byte[] message(int length) {
        String line = "La La La ".repeat(8) + "\r\n";
        StringBuilder body = new StringBuilder();
        while (body.length() + line.length() <= Math.max(length, line.length())) {
            body.append(line);
        }
        String m = "From: <alice@sender.test>\r\nTo: <bob@example.test>\r\nSubject: bench\r\n\r\n" + body + ".\r\n";
        return m.getBytes(StandardCharsets.US_ASCII);
    }

    /** BoringSSL client trusting exactly the certificate in {@code caFile}, TLS 1.2 and 1.3. */
    static SSLContext clientContext(Path caFile) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caFile)) {
            trust.setCertificateEntry("bench", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS", Conscrypt.newProvider());
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
