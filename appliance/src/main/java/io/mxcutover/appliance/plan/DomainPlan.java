package io.mxcutover.appliance.plan;

import io.mxcutover.sync.folder.FolderRules;
import java.util.List;
import java.util.Map;

/**
 * What the plan says about one migrated domain.
 *
 * @param recipients the domain's known local parts; empty means "not listed" (no recipient check by list)
 * @param requireLegacySpfGone the DNS watcher reports the SPF record as wrong while it still has one of
 *                             {@code legacy.spf()} (set it once the legacy server sends no more mail)
 * @param flow which MX switches the move makes ({@link MxFlow})
 * @param applianceMx the appliance's own MX host names ({@code appliance.mx}); set only in relay-first
 * @param folders the domain's folder rules ({@code folders:}): which folders are copied, and renames
 * @param mailboxFolders single mailboxes' own folder rules ({@code mailboxes[].folders}), by lower-cased address;
 *                       they apply on top of the domain's ({@link #folderRulesOf})
 */
public record DomainPlan(
        String name,
        boolean includeSubdomains,
        boolean softBounce,
        Side legacy,
        Side target,
        List<String> recipients,
        boolean requireLegacySpfGone,
        MxFlow flow,
        List<String> applianceMx,
        FolderRules folders,
        Map<String, FolderRules> mailboxFolders) {
    public DomainPlan {
        recipients = List.copyOf(recipients);
        flow = flow == null ? MxFlow.SWITCH_AT_GO_LIVE : flow;
        applianceMx = List.copyOf(applianceMx);
        folders = folders == null ? FolderRules.ALL : folders;
        mailboxFolders = Map.copyOf(mailboxFolders == null ? Map.of() : mailboxFolders);
    }

    /** A domain without folder rules (every folder copied, names mapped as the sync decides). */
    public DomainPlan(
            String name,
            boolean includeSubdomains,
            boolean softBounce,
            Side legacy,
            Side target,
            List<String> recipients,
            boolean requireLegacySpfGone,
            MxFlow flow,
            List<String> applianceMx) {
        this(
                name,
                includeSubdomains,
                softBounce,
                legacy,
                target,
                recipients,
                requireLegacySpfGone,
                flow,
                applianceMx,
                FolderRules.ALL,
                Map.of());
    }

    /** The same domain with these folder rules. */
    public DomainPlan withFolders(FolderRules domainRules, Map<String, FolderRules> mailboxRules) {
        return new DomainPlan(
                name,
                includeSubdomains,
                softBounce,
                legacy,
                target,
                recipients,
                requireLegacySpfGone,
                flow,
                applianceMx,
                domainRules,
                mailboxRules);
    }

    /** The folder rules of one mailbox: the domain's, with the mailbox's own on top when the plan lists it. */
    public FolderRules folderRulesOf(String address) {
        FolderRules own = mailboxFolders.get(address.strip().toLowerCase(java.util.Locale.ROOT));
        return own == null ? folders : folders.with(own);
    }

    /** A domain that switches its MX to the new provider at go-live ({@code flow: switch-at-go-live}). */
    public DomainPlan(
            String name,
            boolean includeSubdomains,
            boolean softBounce,
            Side legacy,
            Side target,
            List<String> recipients,
            boolean requireLegacySpfGone) {
        this(
                name,
                includeSubdomains,
                softBounce,
                legacy,
                target,
                recipients,
                requireLegacySpfGone,
                MxFlow.SWITCH_AT_GO_LIVE,
                List.of());
    }

    /**
     * The MX set whose switch anchors the catch-up window: the appliance's hosts in {@code relay-first}
     * (legacy -> appliance), the new provider's in {@code switch-at-go-live} (legacy -> new).
     */
    public List<String> windowMx() {
        return flow == MxFlow.RELAY_FIRST ? applianceMx : target == null ? List.of() : target.mx();
    }

    /** A domain that does not ask for the legacy SPF mechanisms to be gone. */
    public DomainPlan(
            String name,
            boolean includeSubdomains,
            boolean softBounce,
            Side legacy,
            Side target,
            List<String> recipients) {
        this(name, includeSubdomains, softBounce, legacy, target, recipients, false);
    }
}
