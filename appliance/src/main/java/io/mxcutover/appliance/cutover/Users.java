package io.mxcutover.appliance.cutover;

/** Who did something: every admin action names the authenticated user, because the audit log needs it. */
public final class Users {

    private Users() {}

    public static String require(String user) {
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("an admin action needs the authenticated user's name");
        }
        return user.strip();
    }
}
