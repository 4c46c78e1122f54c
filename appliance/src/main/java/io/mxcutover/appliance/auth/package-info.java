/**
 * REST API authentication: HTTP Basic against users of the service YAML ({@code users:}), each with a role
 * ({@code operator} reads, {@code admin} also changes) and a bcrypt password hash printed by
 * {@code ./mxcutover hash-password}. Every resource under {@code /api/v1} carries {@code @RolesAllowed};
 * no credentials or wrong ones give 401, the wrong role 403. Passwords are never logged.
 *
 * <p>The admin port uses the same users ({@link io.mxcutover.appliance.auth.AdminAuthFilter}, rule in
 * {@link io.mxcutover.appliance.auth.AdminAccess}: operator reads, admin tasks, only {@code /ping} open) and
 * binds 127.0.0.1 when the YAML names no host ({@link io.mxcutover.appliance.auth.AdminBinding}). An unknown
 * user costs a bcrypt check of the configured hashes' highest cost, so timing does not reveal names.
 */
package io.mxcutover.appliance.auth;
