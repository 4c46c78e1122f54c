package io.mxcutover.appliance.cutover;

/** What an admin command did ({@link Transition}) and the domain as it stands afterwards. */
public record CommandResult(Transition transition, DomainView domain) {}
