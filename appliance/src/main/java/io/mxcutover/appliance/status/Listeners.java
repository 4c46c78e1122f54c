package io.mxcutover.appliance.status;

import java.util.Map;
import java.util.TreeMap;

/** What listens where ({@code relay.smtp} -> host and port), filled by each part as it starts. */
public final class Listeners {
    public record Address(String host, int port) {}

    private final Map<String, Address> byName = new TreeMap<>();

    public synchronized void put(String name, String host, int port) {
        byName.put(name, new Address(host, port));
    }

    public synchronized Map<String, Address> all() {
        return Map.copyOf(byName);
    }
}
