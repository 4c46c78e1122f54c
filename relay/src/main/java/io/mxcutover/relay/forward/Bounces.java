package io.mxcutover.relay.forward;

import io.mxcutover.relay.smtp.AddressSyntax;
import io.mxcutover.relay.smtp.MailAddress;
import io.mxcutover.relay.smtp.SmtpReply;
import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import org.eclipse.angus.mail.dsn.DeliveryStatus;

/**
 * Builds RFC 3464 delivery status notifications. The returned part is the original message's
 * header section (text/rfc822-headers), so a bounce never carries a large body back.
 * Callers must not bounce a message whose sender is null (RFC 5321 §6.1); {@link #build}
 * refuses to.
 */
public final class Bounces {

    /** RFC 3464 Action values we send. */
    public enum Action {
        FAILED,
        DELAYED
    }

    /** One recipient line of the report. */
    public record Failure(MailAddress recipient, String status, String diagnostic, String remoteMta) {}

    private static final DateTimeFormatter RFC5322 = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    private static final int MAX_RETURNED_HEADER = 64 * 1024;
    private static final byte[] CRLF = {'\r', '\n'};

    private Bounces() {}

    /**
     * @param original    the spooled message bytes (only its header section is read)
     * @param reportingMta this relay's host name
     */
    public static byte[] build(
            String queueId,
            String originalSender,
            Instant arrival,
            List<Failure> failures,
            Action action,
            String reportingMta,
            Instant now,
            InputStream original)
            throws IOException {
        if (originalSender == null || originalSender.isEmpty()) {
            throw new IllegalArgumentException(
                    "never bounce a message with the null sender (queue id " + queueId + ")");
        }
        try {
            Session session = Session.getInstance(new Properties());
            DeliveryStatus ds = new DeliveryStatus();
            InternetHeaders perMessage = new InternetHeaders();
            perMessage.addHeader("Reporting-MTA", "dns; " + reportingMta);
            perMessage.addHeader("X-Mxcutover-Queue-ID", queueId);
            perMessage.addHeader("Arrival-Date", RFC5322.format(arrival));
            ds.setMessageDSN(perMessage);
            StringBuilder text = new StringBuilder();
            if (action == Action.FAILED) {
                text.append("This is the mail system at host ")
                        .append(reportingMta)
                        .append(".\r\n\r\n")
                        .append("Your message could not be delivered to one or more recipients.\r\n")
                        .append("It is attached below (headers only).\r\n\r\n");
            } else {
                text.append("This is the mail system at host ")
                        .append(reportingMta)
                        .append(".\r\n\r\n")
                        .append("####################################################################\r\n")
                        .append("# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\r\n")
                        .append("####################################################################\r\n\r\n")
                        .append("Your message could not be delivered yet; delivery will be retried.\r\n\r\n");
            }
            for (Failure f : failures) {
                InternetHeaders rcpt = new InternetHeaders();
                rcpt.addHeader("Final-Recipient", finalRecipient(f.recipient()));
                rcpt.addHeader("Action", action == Action.FAILED ? "failed" : "delayed");
                rcpt.addHeader("Status", f.status());
                if (f.remoteMta() != null && !f.remoteMta().isEmpty()) {
                    rcpt.addHeader("Remote-MTA", "dns; " + f.remoteMta());
                }
                if (f.diagnostic() != null && !f.diagnostic().isEmpty()) {
                    rcpt.addHeader("Diagnostic-Code", "smtp; " + f.diagnostic());
                }
                ds.addRecipientDSN(rcpt);
                text.append("<")
                        .append(f.recipient())
                        .append(">: ")
                        .append(f.diagnostic())
                        .append("\r\n");
            }
            // Built part by part instead of with MultipartReport(..., returned): saveChanges() would
            // recurse into the returned headers and rewrite their Message-ID, Date and MIME-Version.
            ReportMultipart report = new ReportMultipart();
            MimeBodyPart textPart = new MimeBodyPart();
            // utf-8: a UTF-8 recipient must read as itself, not as '?' (the part is then QP-encoded)
            textPart.setText(text.toString(), AddressSyntax.isAscii(text.toString()) ? "us-ascii" : "utf-8");
            report.addBodyPart(textPart);
            ByteArrayOutputStream status = new ByteArrayOutputStream();
            ds.writeTo(status);
            MimeBodyPart statusPart = new MimeBodyPart();
            statusPart.setDataHandler(
                    new DataHandler(new ByteArrayDataSource(status.toByteArray(), "message/delivery-status")));
            report.addBodyPart(statusPart);
            MimeBodyPart headersPart = new MimeBodyPart();
            headersPart.setDataHandler(
                    new DataHandler(new ByteArrayDataSource(readHeaders(original), "text/rfc822-headers")));
            report.addBodyPart(headersPart);
            report.prepare();
            MimeMessage m = new MimeMessage(session);
            m.setFrom(new InternetAddress("MAILER-DAEMON@" + reportingMta, "Mail Delivery System"));
            InternetAddress to = new InternetAddress();
            to.setAddress(originalSender);
            m.setRecipient(MimeMessage.RecipientType.TO, to);
            m.setSubject(
                    action == Action.FAILED
                            ? "Undelivered Mail Returned to Sender"
                            : "Delayed Mail (still being retried)");
            m.setSentDate(Date.from(now));
            m.setHeader(
                    "Message-ID",
                    "<" + queueId + "." + now.toEpochMilli() + "." + (action == Action.FAILED ? "bounce" : "delay")
                            + "@" + reportingMta + ">");
            m.setHeader("Auto-Submitted", "auto-replied");
            m.setHeader("MIME-Version", "1.0");
            m.setHeader("Content-Type", report.getContentType());
            // Headers and body written by hand: no saveChanges(), no DataHandler lookup for
            // multipart/report (the dsn mailcap entry only serialises its own MultipartReport).
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (java.util.Enumeration<String> lines = m.getAllHeaderLines(); lines.hasMoreElements(); ) {
                out.write(lines.nextElement().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.write(CRLF);
            }
            out.write(CRLF);
            report.writeTo(out);
            return out.toByteArray();
        } catch (MessagingException e) {
            throw new IOException("cannot build bounce for queue id " + queueId + ": " + e.getMessage(), e);
        }
    }

    /**
     * The Final-Recipient value (RFC 3464 §2.3.2): {@code rfc822; addr} for an ASCII address,
     * {@code utf-8; } with RFC 6533 §3 utf-8-addr-xtext otherwise ({@code \x{HEX}} for every
     * character outside QCHAR), so the report stays ASCII and names the address the client gave,
     * never a one-byte-per-character look-alike.
     */
    static String finalRecipient(MailAddress recipient) {
        String a = recipient.toString();
        if (AddressSyntax.isAscii(a)) {
            return "rfc822; " + a;
        }
        StringBuilder sb = new StringBuilder("utf-8; ");
        a.codePoints().forEach(cp -> {
            boolean qchar = cp >= 0x21 && cp <= 0x7e && cp != '+' && cp != '=' && cp != '\\';
            if (qchar) {
                sb.appendCodePoint(cp);
            } else {
                sb.append("\\x{")
                        .append(Integer.toHexString(cp).toUpperCase(java.util.Locale.ROOT))
                        .append('}');
            }
        });
        return sb.toString();
    }

    /** The status code to report: the reply's enhanced code, else one derived from its class. */
    public static String status(SmtpReply reply) {
        if (!reply.enhanced().isEmpty()) {
            return reply.enhanced();
        }
        return reply.isPermanent() ? "5.0.0" : "4.0.0";
    }

    /** multipart/report with report-type=delivery-status (RFC 6522). */
    private static final class ReportMultipart extends MimeMultipart {
        ReportMultipart() throws MessagingException {
            super("report");
            ContentType ct = new ContentType(contentType);
            ct.setParameter("report-type", "delivery-status");
            contentType = ct.toString();
        }

        void prepare() throws MessagingException {
            updateHeaders();
        }
    }

    private static byte[] readHeaders(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        InputStream buffered = new java.io.BufferedInputStream(in, 8192);
        int prev = -1;
        int prev2 = -1;
        int c;
        while (head.size() < MAX_RETURNED_HEADER && (c = buffered.read()) >= 0) {
            head.write(c);
            if (c == '\n' && (prev == '\n' || (prev == '\r' && prev2 == '\n'))) {
                break;
            }
            prev2 = prev;
            prev = c;
        }
        return head.toByteArray();
    }
}
