package io.wafleet.router.select;

import io.wafleet.avro.LbAlgorithm;
import java.util.Set;

/**
 * A selection query.
 *
 * @param environment the pool's environment; null for any
 * @param location the location within it; null for any
 * @param tags every one of these must be on the server
 * @param minCapacity free accounts the server must have (at least 1)
 * @param algorithm overrides the pool's algorithm; null for the pool's own
 * @param accountId the account to place; an account already on a server stays there (sticky)
 * @param excluded servers not to choose: those a connect already failed on, or a migration's source
 */
public record SelectionRequest(
        String environment,
        String location,
        Set<String> tags,
        int minCapacity,
        LbAlgorithm algorithm,
        String accountId,
        Set<String> excluded) {

    public SelectionRequest {
        excluded = excluded == null ? Set.of() : Set.copyOf(excluded);
        environment = blankToNull(environment);
        location = blankToNull(location);
        tags = tags == null ? Set.of() : Set.copyOf(tags);
        minCapacity = Math.max(1, minCapacity);
        accountId = blankToNull(accountId);
    }

    public SelectionRequest(
            String environment,
            String location,
            Set<String> tags,
            int minCapacity,
            LbAlgorithm algorithm,
            String accountId) {
        this(environment, location, tags, minCapacity, algorithm, accountId, Set.of());
    }

    /** The same request without these servers too. */
    public SelectionRequest excluding(Set<String> servers) {
        Set<String> all = new java.util.HashSet<>(excluded);
        all.addAll(servers);
        return new SelectionRequest(environment, location, tags, minCapacity, algorithm, accountId, all);
    }

    public static SelectionRequest in(String environment) {
        return new SelectionRequest(environment, null, null, 1, null, null);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
