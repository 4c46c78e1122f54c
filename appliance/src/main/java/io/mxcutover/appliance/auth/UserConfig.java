package io.mxcutover.appliance.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** One API user in the service YAML. The password is only ever stored as a bcrypt hash. */
public class UserConfig {
    @NotEmpty
    @Pattern(regexp = "[A-Za-z0-9._@-]{1,64}", message = "must be 1-64 letters, digits, '.', '_', '@' or '-'")
    @JsonProperty
    public String name;

    @NotNull
    @JsonProperty
    public Role role;

    @NotEmpty
    @Pattern(
            regexp = "\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}",
            message = "must be a bcrypt hash: run ./mxcutover hash-password and paste its output")
    @JsonProperty
    public String passwordHash;

    @Override
    public String toString() {
        return "UserConfig[" + name + ", " + role + "]";
    }
}
