package io.mxcutover.sync.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IdentityTest {
    static Identity id(String headers, long size, long date) {
        return Identity.of(headers.replace("|", "\r\n").getBytes(StandardCharsets.ISO_8859_1), size, date);
    }

    /** headers A | headers B (| = CRLF) | same identity? */
    @ParameterizedTest(name = "{0} vs {1}: same={2}")
    @CsvSource(
            delimiter = ';',
            value = {
                "Message-ID: <a@x>|Subject: s|         ; Message-ID: <a@x>|Subject: s|                   ; true",
                "Message-ID: <a@x>|Subject: s|         ; message-id:   <a@x>|subject:  s|              ; true",
                "Message-ID: <a@x>|Subject: long|      ; Message-ID: <a@x>|Subject: long|              ; true",
                "Subject: folded| line|                ; Subject: folded line|                          ; true",
                "Subject: s|From: a|                   ; From: a|Subject: s|                            ; true",
                "Message-ID: <a@x>|Subject: one|       ; Message-ID: <a@x>|Subject: two|                ; false",
                "Subject: no id|From: a|               ; Subject: no id|From: b|                        ; false",
                "Subject: no id|                       ; Subject: no id|                                ; true",
            })
    void identityShouldCompareHeaderSetWhenSizeAndDateEqual(String a, String b, boolean same) {
        assertThat(id(a, 100, 5).key().equals(id(b, 100, 5).key())).isEqualTo(same);
    }

    @Test
    void identityShouldDifferWhenSizeOrInternalDateDiffers() {
        Identity base = id("Message-ID: <a@x>|", 100, 5);
        assertThat(id("Message-ID: <a@x>|", 101, 5).key()).isNotEqualTo(base.key());
        assertThat(id("Message-ID: <a@x>|", 100, 6).key()).isNotEqualTo(base.key());
    }

    @Test
    void identityShouldExposeMessageIdWhenPresentAndEmptyWhenMissing() {
        assertThat(id("Message-ID: <a@x>|Subject: s|", 1, 1).messageId()).isEqualTo("<a@x>");
        assertThat(id("Subject: s|", 1, 1).hasMessageId()).isFalse();
    }

    @Test
    void identityShouldDigestEightBitHeadersBytewiseWhenNotAscii() {
        byte[] latin1 = "Subject: \u00e9t\u00e9\r\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] utf8 = "Subject: \u00e9t\u00e9\r\n".getBytes(StandardCharsets.UTF_8);
        assertThat(Identity.of(latin1, 1, 1).key())
                .isNotEqualTo(Identity.of(utf8, 1, 1).key());
        assertThat(Identity.of(utf8, 1, 1).key())
                .isEqualTo(Identity.of(utf8.clone(), 1, 1).key());
    }
}
