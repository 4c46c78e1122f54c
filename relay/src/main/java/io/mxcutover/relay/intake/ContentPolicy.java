package io.mxcutover.relay.intake;

import io.mxcutover.relay.RelayMetrics.Rejection;
import io.mxcutover.relay.smtp.SmtpReply;
import java.util.Objects;

/**
 * Decides a whole message once DATA (or the last BDAT chunk) has been read: over the size limit
 * 552 5.3.4 (RFC 5321 §4.5.3.1.10, Postfix {@code message_size_limit}); bare CR or LF refused
 * with 550 5.6.11 under {@link Intake.BareLineEndings#REJECT} (Postfix
 * {@code smtpd_forbid_bare_newline}); as many Received headers as the hop limit 554 5.4.6 (Postfix
 * {@code hopcount_limit}). The first that applies wins, in that order. Pure: the streaming code
 * ({@link DataScanner}) gathers the {@link Facts} and the handler turns the verdict into a reply.
 */
public final class ContentPolicy {

    /** What the scan of one message saw. */
    public record Facts(long size, boolean bareLineEnding, int receivedHeaders) {}

    /** The listener's limits that apply to content. */
    public record Limits(long maxMessageSize, Intake.BareLineEndings bareLineEndings, int maxReceivedHeaders) {
        public Limits {
            Objects.requireNonNull(bareLineEndings, "bareLineEndings");
        }
    }

    public sealed interface Verdict permits Accept, Refuse {}

    /** Spool it; {@code normalised} when bare line endings were turned into CRLF. */
    public record Accept(boolean normalised) implements Verdict {}

    public record Refuse(SmtpReply reply, Rejection reason) implements Verdict {}

    private ContentPolicy() {}

    /** True when {@code size} bytes are over the limit (0 or less: no limit). Checked while streaming too. */
    public static boolean oversize(long size, long maxMessageSize) {
        return maxMessageSize > 0 && size > maxMessageSize;
    }

    public static Verdict check(Facts facts, Limits limits) {
        if (oversize(facts.size(), limits.maxMessageSize())) {
            return new Refuse(
                    SmtpReply.of(
                            552,
                            "5.3.4",
                            "Message size exceeds fixed maximum message size of " + limits.maxMessageSize() + " bytes"),
                    Rejection.OVERSIZE);
        }
        if (facts.bareLineEnding() && limits.bareLineEndings() == Intake.BareLineEndings.REJECT) {
            return new Refuse(
                    SmtpReply.of(550, "5.6.11", "Message contains bare CR or LF; lines must end with CRLF"),
                    Rejection.BARE_LINE_ENDING);
        }
        if (facts.receivedHeaders() >= limits.maxReceivedHeaders()) {
            return new Refuse(SmtpReply.of(554, "5.4.6", "Too many hops (mail loop?)"), Rejection.MAIL_LOOP);
        }
        return new Accept(facts.bareLineEnding());
    }
}
