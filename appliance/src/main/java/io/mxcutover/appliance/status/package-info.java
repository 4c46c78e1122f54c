/**
 * What the appliance says about itself: {@code GET /api/v1/status} ({@link io.mxcutover.appliance.status.StatusResource}:
 * version, uptime, each plan domain with its phase, and what listens where, from
 * {@link io.mxcutover.appliance.status.Listeners}), and the health checks on the admin port
 * ({@link io.mxcutover.appliance.status.WritableDirectoryHealthCheck}: the spool and state directories
 * are writable).
 */
package io.mxcutover.appliance.status;
