package io.wafleet.router.admin;

import io.wafleet.router.api.BadField;
import io.wafleet.router.api.Json;
import java.util.Set;

/** A pool rule as the admin API takes it ({@code PUT /api/v1/lb-rules}, or the seed's {@code loadBalancing}). */
record LbRuleForm(
        String name,
        String environment,
        String location,
        String algorithm,
        boolean healthCheckRequired,
        boolean failoverEnabled,
        double panicThreshold,
        boolean isEnabled,
        String actor) {

    static final Set<String> ALGORITHMS = Set.of(
            "round_robin",
            "weighted_round_robin",
            "least_connections",
            "least_utilization",
            "power_of_two_choices",
            "fill_first");

    static LbRuleForm from(Json json, String actor) {
        String environment = json.text("environment", null);
        String location = json.text("location", null);
        if (location != null && environment == null) {
            throw new BadField(json.path("environment"), "is required when a location is given");
        }
        String pool = environment == null ? "default" : location == null ? environment : environment + "/" + location;
        return new LbRuleForm(
                json.text("name", pool),
                environment,
                location,
                json.choice("algorithm", "weighted_round_robin", ALGORITHMS),
                json.bool("healthCheckRequired", true),
                json.bool("failoverEnabled", true),
                json.decimal("panicThreshold", 0.5, 0, 1),
                json.bool("isEnabled", true),
                actor);
    }
}
