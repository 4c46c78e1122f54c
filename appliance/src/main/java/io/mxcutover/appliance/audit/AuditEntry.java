package io.mxcutover.appliance.audit;

import java.time.Instant;
import java.util.Optional;

/** One line of the audit log: who did what to which domain, when, and why. */
public record AuditEntry(
        String id,
        Instant at,
        String actor,
        Optional<String> domain,
        String action,
        Optional<String> fromPhase,
        Optional<String> toPhase,
        String reason,
        String details) {}
