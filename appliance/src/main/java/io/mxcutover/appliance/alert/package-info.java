/**
 * Alerts: a message to the people on call when something needs a human, sent as a signed webhook (HTTP POST,
 * JSON body) to each receiver configured under {@code alerts.webhooks} in the service YAML.
 *
 * <p>Events ({@link io.mxcutover.appliance.alert.AlertEvent}): {@code mailbox-failed} and
 * {@code phase-changed} come from the points that already tell the hooks ({@code Hooks} after a mailbox pass,
 * the cutover's {@code PhaseListener}); {@code readiness-red} (green before, red now), {@code dns-regressed},
 * {@code relay-queue-old} (the oldest queued message older than {@code alerts.queueAge}),
 * {@code window-closing} (the catch-up window closes within {@code alerts.windowNotice}) and
 * {@code message-bounced} (the relay's bounce counter grew) are found by {@link
 * io.mxcutover.appliance.alert.AlertWatch}, which reads the domain views every {@code alerts.checkInterval}
 * and compares them with the previous reading ({@link io.mxcutover.appliance.alert.AlertRules#compare}, pure).
 * Each such event fires on the edge, once, not at every reading while the condition holds.
 *
 * <p>Delivery ({@link io.mxcutover.appliance.alert.WebhookDelivery}): one POST per receiver with the body
 * {@code {"id", "event", "domain", "mailbox", "detail", "at"}}, the headers {@code X-Mxcutover-Event},
 * {@code X-Mxcutover-Delivery} (the alert's id: the same on every retry, so a receiver can drop duplicates)
 * and {@code X-Mxcutover-Signature: sha256=<hex HMAC-SHA256 of the body with the receiver's secret>}. A 2xx
 * answer is delivered; a 4xx other than 408 and 429 is refused for good (the receiver will not change its
 * mind); anything else (5xx, timeout, connection refused) is retried after a backoff ({@code sync.run.Backoff},
 * doubling from {@code backoff} to {@code maxBackoff}) until {@code attempts} are used. Waits go through the
 * injected {@code Sleeper}. An alert never stops the migration: deliveries run on their own thread, and one
 * that fails is logged at WARN and audited ({@code alert.failed}); none is stored or re-sent after a restart.
 *
 * <p>Logs: one INFO line per delivered alert, WARN per attempt that failed. The secret never reaches a log
 * line, the audit log or an API answer. No table.
 */
package io.mxcutover.appliance.alert;
