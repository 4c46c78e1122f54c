/**
 * SMTP vocabulary shared by intake and delivery: mail addresses, envelopes and replies.
 *
 * <p>{@link io.mxcutover.relay.smtp.AddressSyntax} is the strict RFC 5321 §4.1.2 path parser
 * that stands between a raw {@code RCPT TO} argument and everything else: SubEthaSMTP hands the
 * text between the angle brackets over unvalidated, so every open-relay trick (percent hack
 * {@code u%evil@our}, bang path {@code evil!u@our}, source route {@code @hop:u@our}, quoted
 * {@code "u@evil"@our}, double {@code @}) is refused here, before a route is ever asked.
 * Nothing in this package does I/O.
 */
package io.mxcutover.relay.smtp;
