/**
 * REST API authentication: HTTP Basic against users of the service YAML ({@code users:}), each with a role
 * ({@code operator} reads, {@code admin} also changes) and a bcrypt password hash printed by
 * {@code ./mxcutover hash-password}. Every resource under {@code /api/v1} carries {@code @RolesAllowed};
 * no credentials or wrong ones give 401, the wrong role 403. Passwords are never logged.
 */
package io.mxcutover.appliance.auth;
