/**
 * Waiting: {@link io.mxcutover.sync.time.Sleeper}, the only code of sync and the appliance that blocks a thread
 * for a duration. Time itself is an injected {@link java.time.Clock}; a wait that ends at a time on that clock
 * (a throttled server's gate) sleeps in steps and re-reads the clock, so a test moves the clock and the wait
 * ends. Logs nothing.
 */
package io.mxcutover.sync.time;
