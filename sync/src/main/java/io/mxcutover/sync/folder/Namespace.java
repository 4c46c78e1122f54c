package io.mxcutover.sync.folder;

import java.util.Objects;

/** The personal namespace of one side: its prefix ({@code "INBOX."} or {@code ""}) and separator. */
public record Namespace(String prefix, char separator) {
    public Namespace {
        Objects.requireNonNull(prefix, "prefix");
    }
}
