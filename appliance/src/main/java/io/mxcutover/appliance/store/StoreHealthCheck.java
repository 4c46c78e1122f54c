package io.mxcutover.appliance.store;

import com.codahale.metrics.health.HealthCheck;

/** Healthy when the state store answers a query. */
public final class StoreHealthCheck extends HealthCheck {
    private final Store store;

    public StoreHealthCheck(Store store) {
        this.store = store;
    }

    @Override
    protected Result check() {
        try {
            store.ping();
            return Result.healthy("state store " + store.file() + " answers");
        } catch (Exception e) {
            return Result.unhealthy("state store " + store.file() + " does not answer: " + e.getMessage());
        }
    }
}
