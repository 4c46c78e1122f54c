/**
 * Schedules delivery of spooled mail and lets an admin look at and steer the queue. (The queue's files are
 * {@code relay.spool}; this package is the scheduler over them, Postfix's {@code qmgr}.)
 *
 * <p>{@link io.mxcutover.relay.schedule.DeliveryScheduler} is the queue manager (Postfix's
 * {@code qmgr}): it keeps an in-memory index of the spool (rebuilt from disk at start), hands
 * ready messages to a fixed pool of delivery workers (the most recently idle worker first, so light
 * load stays on a few warm connections: {@code WorkerPool}), and wakes deferred ones when their next
 * attempt is due by the injected clock. Where a message is in the scheduler is one
 * {@code ScheduledMessage.Phase}: waiting, ready, attempting (possibly with an admin's retry, hold or
 * delete to carry out when the attempt ends), gone.
 *
 * <p>Two pure functions make the decisions, each with a table test. At each attempt,
 * {@link io.mxcutover.relay.schedule.Dispatch#of} says for every pending recipient, from its
 * {@code Route.decide}, whether it is forwarded (recipients with the same targets and soft-bounce
 * setting share one transaction; a bounce to a domain outside the plan goes to the bounce relay)
 * or kept queued with an admin alert. After it, {@link io.mxcutover.relay.schedule.Disposition#decide}
 * turns the outcomes into each recipient's fate (sent; bounced; expired after the queue lifetime,
 * bounced with 4.4.7; delayed), the notices for the sender (an RFC 3464 bounce, never for the null
 * sender; one delay warning after the configured delay) and what becomes of the file: removed when
 * no recipient is left, otherwise its status is written and it goes to {@code deferred/} with the
 * next attempt from {@code RetrySchedule.nextAttempt}. The scheduler carries that out: logs, counters,
 * the notices ({@code forward.BounceSender}, durable before the recipients are marked finished),
 * then the file. A message whose file turns out damaged while it is sent (bytes missing, checksum of
 * the trailer wrong: checked before the final dot, so no target ever accepts it) is not deferred: it
 * moves to {@code corrupt/} with its status file, the {@code relay.corrupt} counter goes up, and an
 * ERROR line names the queue id, sender, pending recipients and what to do.
 *
 * <p>{@link io.mxcutover.relay.schedule.QueueOperations} is the admin view the appliance exposes
 * over REST ({@code QueueAdmin}): list, show, retry now, hold, release, delete. Hold and release are
 * durable (they move the file to or from {@code hold/} and fsync); an operation on a message a worker
 * is busy with takes effect when the attempt ends.
 *
 * <p>Log lines per recipient follow Postfix's shape: {@code <queue id>: to=<rcpt>, relay=host:port,
 * status=sent|deferred|bounced (reply)}, and {@code status=expired after <lifetime>} when the queue
 * lifetime ends.
 */
package io.mxcutover.relay.schedule;
