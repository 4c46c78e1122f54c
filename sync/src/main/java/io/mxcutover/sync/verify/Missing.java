package io.mxcutover.sync.verify;

/** A source message that is not (correctly) on the target, and why. */
public record Missing(String folder, long uid, String messageId, String subject, long size, String why) {}
