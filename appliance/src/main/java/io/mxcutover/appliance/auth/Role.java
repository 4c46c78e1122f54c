package io.mxcutover.appliance.auth;

/** What an API user may do. An admin may do everything an operator may. */
public enum Role {
    /** Reads: status, domains, reports, queue, DNS. */
    OPERATOR,
    /** Changes: cutover, rollback, window, plan reload, queue actions, mailbox import. */
    ADMIN;

    /** Role names as used in {@code @RolesAllowed}. */
    public static final String OPERATOR_NAME = "operator";

    public static final String ADMIN_NAME = "admin";

    public boolean grants(String roleName) {
        return switch (roleName) {
            case OPERATOR_NAME -> true;
            case ADMIN_NAME -> this == ADMIN;
            default -> false;
        };
    }
}
