/**
 * Schedules delivery of spooled mail and lets an admin look at and steer the queue. (The queue's files are
 * {@code relay.spool}; this package is the scheduler over them, Postfix's {@code qmgr}.)
 *
 * <p>{@link io.mxcutover.relay.schedule.DeliveryScheduler} is the queue manager (Postfix's
 * {@code qmgr}): it keeps an in-memory index of the spool (rebuilt from disk at start), hands
 * ready messages to a fixed pool of delivery workers (the most recently idle worker first, so light
 * load stays on a few warm connections: {@code WorkerPool}), and wakes deferred ones when their next
 * attempt is due. At each attempt a worker asks the current {@code RoutingTable} for every
 * pending recipient ({@code Route.decide}), groups recipients per target list, forwards, and
 * applies the outcomes: delivered and bounced recipients are recorded as finished; the message
 * file is removed when none is left; otherwise its status is written and it goes to
 * {@code deferred/} with the next attempt from {@code RetrySchedule.nextAttempt}. Permanent
 * failures and expired messages produce an RFC 3464 bounce (never for the null sender); a delay
 * warning is sent once after the configured delay. A message whose file turns out damaged while it
 * is sent (bytes missing, checksum of the trailer wrong: checked before the final dot, so no
 * target ever accepts it) is not deferred: it moves to {@code corrupt/} with its status file, the
 * {@code relay.corrupt} counter goes up, and an ERROR line names the queue id, sender, pending
 * recipients and what to do.
 *
 * <p>{@link io.mxcutover.relay.schedule.QueueOperations} is the admin view the appliance exposes
 * over REST: list, show, retry now, hold, release, delete. Hold and release are durable (they
 * move the file to or from {@code hold/} and fsync); an operation on a message a worker is busy
 * with takes effect when the attempt ends.
 *
 * <p>Log lines per recipient follow Postfix's shape: {@code <queue id>: to=<rcpt>, relay=host:port,
 * status=sent|deferred|bounced (reply)}.
 */
package io.mxcutover.relay.schedule;
