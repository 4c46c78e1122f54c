/**
 * {@code ./mxcutover demo}: the whole product on embedded servers, nothing to install but a JDK and Maven.
 * {@link io.mxcutover.appliance.demo.DemoCommand} starts a legacy and a new mail server (GreenMail, on free
 * loopback ports), seeds sample mailboxes, serves {@code example.test}'s zone from a file
 * ({@link io.mxcutover.appliance.demo.DemoDns}), starts the appliance against them and imports the
 * mailboxes through its own REST API ({@link io.mxcutover.appliance.demo.DemoImport}), then prints what to
 * try. Nothing here is used outside the demo.
 */
package io.mxcutover.appliance.demo;
