package io.mxcutover.appliance.window;

import io.mxcutover.appliance.cutover.Users;
import java.time.Instant;
import java.util.Objects;

/** An admin closed the catch-up window early at {@code at}. */
public record ForcedClose(Instant at, String user) {
    public ForcedClose {
        Objects.requireNonNull(at, "at");
        user = Users.require(user);
    }
}
