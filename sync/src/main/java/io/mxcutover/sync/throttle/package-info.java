/**
 * Throttling shared by every mailbox on one server: a server that says slow down (NO [LIMIT],
 * [THROTTLED], "Suggested Backoff Time", a real BYE) closes its {@link io.mxcutover.sync.throttle.ServerGate};
 * every mailbox on that server then waits before its next FETCH, APPEND batch or pass, not only the one
 * that was told. {@link io.mxcutover.sync.throttle.ServerGates} holds the gates of every server, keyed by
 * {@code host:port}.
 */
package io.mxcutover.sync.throttle;
