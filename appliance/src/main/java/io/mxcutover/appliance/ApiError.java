package io.mxcutover.appliance;

import java.util.List;

/** The JSON body of every API error: what went wrong, and details an admin can act on. */
public record ApiError(String message, List<String> details) {
    public ApiError {
        details = List.copyOf(details);
    }
}
