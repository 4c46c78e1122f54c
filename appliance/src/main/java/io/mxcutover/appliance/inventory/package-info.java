/**
 * The inventory in the appliance: {@code POST /api/v1/domains/{d}/inventory} starts one in the background
 * ({@link io.mxcutover.appliance.inventory.InventoryJobs}, through the domain's sync service, so the same
 * servers, folder rules, parallelism and credentials as the copy), {@code GET} shows its progress, the stored
 * report ({@link io.mxcutover.appliance.inventory.InventoryJson}) and, once the sync has copied the listed
 * mailboxes, the estimate against the real copy. The report itself is {@code sync.inventory}'s.
 *
 * <p>Table: {@code domain_inventory} ({@code db/appliance/V7}), the newest run per domain
 * ({@link io.mxcutover.appliance.inventory.InventoryRecords}). Logs: a line when a run starts; a run that failed
 * at ERROR with its cause. Audit: {@code domain.inventory} per request.
 */
package io.mxcutover.appliance.inventory;
