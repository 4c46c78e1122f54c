package io.mxcutover.dnscheck.probe;

import io.mxcutover.dnscheck.poll.NameServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * Asks dnsjava's {@link ValidatingResolver}, in front of a recursive resolver that returns
 * DNSSEC records, for the domain's MX: AD set = secure, SERVFAIL = bogus (the reason comes
 * back as a TXT record of class 65280 in the additional section), anything else = insecure.
 * A broken DS after moving DNS hosting is a classic migration outage: mail from every
 * validating resolver stops.
 */
public final class DnssecCheck {

    /** IANA root zone KSK-2017 (key tag 20326), https://data.iana.org/root-anchors/. */
    public static final String ROOT_TRUST_ANCHOR =
            ". IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D";

    private final Duration timeout;

    public DnssecCheck(Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    public DnssecStatus check(String domain, NameServer upstream) {
        return check(domain, upstream, List.of());
    }

    /**
     * With trust anchors of its own next to the root's ({@code extraAnchors}: zone-file DS or
     * DNSKEY lines), for zones whose chain does not start at the root: a private or test
     * TLD, a zone signed before its DS is at the registrar.
     */
    public DnssecStatus check(String domain, NameServer upstream, List<String> extraAnchors) {
        List<String> anchors = new ArrayList<>();
        anchors.add(ROOT_TRUST_ANCHOR);
        anchors.addAll(extraAnchors);
        return check(
                domain,
                upstream,
                new ByteArrayInputStream((String.join("\n", anchors) + "\n").getBytes(StandardCharsets.US_ASCII)));
    }

    /** {@code trustAnchors}: zone-file DS or DNSKEY lines. */
    public DnssecStatus check(String domain, NameServer upstream, InputStream trustAnchors) {
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "dnscheck-dnssec");
            t.setDaemon(true);
            return t;
        });
        try {
            SimpleResolver head =
                    new SimpleResolver(new InetSocketAddress(InetAddress.getByName(upstream.host()), upstream.port()));
            head.setTimeout(timeout);
            ValidatingResolver validator = new ValidatingResolver(head);
            validator.loadTrustAnchors(trustAnchors);
            validator.setTimeout(timeout);
            Name name = Name.fromString(domain.endsWith(".") ? domain : domain + ".");
            Message response = validator
                    .sendAsync(Message.newQuery(Record.newRecord(name, Type.MX, DClass.IN)), executor)
                    .toCompletableFuture()
                    .get(timeout.toMillis() * 4, TimeUnit.MILLISECONDS);
            return verdict(domain, upstream, response);
        } catch (IOException e) {
            return new DnssecStatus(
                    DnssecStatus.Status.UNKNOWN, "cannot check DNSSEC via " + upstream.label() + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new DnssecStatus(DnssecStatus.Status.UNKNOWN, "interrupted");
        } catch (Exception e) {
            return new DnssecStatus(
                    DnssecStatus.Status.UNKNOWN,
                    "cannot check DNSSEC via " + upstream.label() + ": " + (e.getCause() != null ? e.getCause() : e));
        } finally {
            executor.shutdownNow();
        }
    }

    /**
     * The status a validated response shows. Only an answer about the name (NOERROR, NXDOMAIN) without
     * AD is INSECURE; a response code that carries no answer (REFUSED, NOTIMP, FORMERR, ...) is UNKNOWN,
     * never "not signed". Pure; package-visible for tests.
     */
    static DnssecStatus verdict(String domain, NameServer upstream, Message response) {
        int rcode = response.getRcode();
        if ((rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN)
                && response.getHeader().getFlag(Flags.AD)) {
            return new DnssecStatus(DnssecStatus.Status.SECURE, "the MX of " + domain + " validates");
        }
        String reason = reason(response);
        if (rcode == Rcode.SERVFAIL) {
            return new DnssecStatus(
                    DnssecStatus.Status.BOGUS,
                    "DNSSEC validation of " + domain
                            + " fails" + (reason.isEmpty() ? "" : ": " + reason)
                            + "; check the DS record at the registrar against the zone's DNSKEY");
        }
        if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
            return new DnssecStatus(
                    DnssecStatus.Status.UNKNOWN,
                    "cannot check DNSSEC via " + upstream.label() + ": it answered " + Rcode.string(rcode));
        }
        return new DnssecStatus(DnssecStatus.Status.INSECURE, reason.isEmpty() ? domain + " is not signed" : reason);
    }

    private static String reason(Message response) {
        for (RRset set : response.getSectionRRsets(Section.ADDITIONAL)) {
            if (set.getName().equals(Name.root)
                    && set.getType() == Type.TXT
                    && set.getDClass() == ValidatingResolver.VALIDATION_REASON_QCLASS) {
                return String.join("", ((TXTRecord) set.first()).getStrings());
            }
        }
        return "";
    }
}
