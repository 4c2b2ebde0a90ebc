package io.wafleet.aggregator;

/** Everything the aggregator's topology depends on besides topic names: its windows and its health rules. */
public record AggregatorConfig(WindowSettings windows, HealthRules health) {

    public AggregatorConfig {
        windows = windows == null ? WindowSettings.defaults() : windows;
        health = health == null ? HealthRules.defaults() : health;
    }

    public static AggregatorConfig defaults() {
        return new AggregatorConfig(null, null);
    }
}
