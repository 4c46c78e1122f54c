/**
 * Self-service migration: a mailbox imported without a legacy password ({@code AWAITING_USER}) waits until its
 * user logs in once on the appliance's page {@code /migrate/} with the password of the old server.
 *
 * <p>{@link io.mxcutover.appliance.selfservice.SelfService} checks address and password with a real IMAP LOGIN on
 * that domain's legacy server, seals the password in the store like the imported ones, hands it to the admin's
 * {@code set-password} hook on stdin when one is configured, and starts the copy. A wrong password and an address
 * not in the plan get one and the same answer ({@link io.mxcutover.appliance.selfservice.SelfService#REFUSED}),
 * and nothing is stored. {@link io.mxcutover.appliance.selfservice.SelfServiceThrottle} refuses attempts for a while
 * after failures, per typed address and per client address, with a delay that doubles (decided by
 * {@link io.mxcutover.appliance.selfservice.SelfServiceThrottle#delay}, pure). A login opens a short session
 * ({@link io.mxcutover.appliance.selfservice.SelfServiceSessions}) in which the page shows that user's progress.
 *
 * <p>Logs and audit: one audit record per attempt ({@code selfservice.login}: the typed address, the client
 * address, the outcome), never the password. The page and its API sit behind the console's filter (CSP, Origin
 * checks); the login also needs the page's {@code X-Requested-With} header and a change in a session its CSRF
 * token. Serve the API port over TLS in production (docs/console.md).
 */
package io.mxcutover.appliance.selfservice;
