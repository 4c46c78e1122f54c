/**
 * The web console: pages on the API port for ops watching a move and admins deciding when to go live
 * (docs/console.md). Static files under {@code /console} on the class path (HTML, CSS, ES modules; no build
 * step) and uPlot from its WebJar; they read and act through {@code /api/v1} only, like {@code curl}.
 *
 * <p>What this package adds to the API: a login ({@link io.mxcutover.appliance.console.SessionResource},
 * {@code /api/v1/session}) that sets an {@code HttpOnly; SameSite=Strict} session cookie (Secure over TLS),
 * authenticated after HTTP Basic in the same chain with the same users and roles
 * ({@link io.mxcutover.appliance.console.SessionAuthFilter}); sessions in memory
 * ({@link io.mxcutover.appliance.console.ConsoleSessions}: lost at restart, 8 h idle); and
 * {@link io.mxcutover.appliance.console.ConsoleFilter}: CSRF (token in {@code X-CSRF-Token} for cookie
 * changes, other origins refused), a Content-Security-Policy without inline script, and 401 without the Basic
 * challenge for the page's own requests. Logs nothing of its own; never a password or a session id.
 */
package io.mxcutover.appliance.console;
