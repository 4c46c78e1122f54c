/**
 * The appliance's state store: an embedded SQLite file (path {@code store.path} in the service YAML) whose
 * schema Flyway migrates at start, one history table per owning module.
 *
 * <p>Tables owned here: {@code domain_phase} (the cutover phase of each domain; no row means RELAYING)
 * and {@code audit_log} (append-only; who, when, what, from/to phase, reason, details; written through
 * {@code audit.AuditLog}). A phase change and
 * its audit line are written in one transaction before the change takes effect.
 *
 * <p>To read a domain's history by hand: {@code sqlite3 /var/lib/mxcutover/mxcutover.db
 * "SELECT at, actor, action, from_phase, to_phase, reason FROM audit_log WHERE domain='example.com' ORDER BY at_millis, seq"}.
 */
package io.mxcutover.appliance.store;
