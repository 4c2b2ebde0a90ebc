package io.wafleet.client;

import io.wafleet.avro.Dialect;
import io.wafleet.simulator.ServerSpec;
import java.util.List;
import java.util.Locale;

/** Every server wafleet supports, as the simulator copies it: dialect, version, tier. */
final class ServerVariants {

    /** The real servers' own waits, at 1 %: WAHA Core's 3 s after a stop is 30 ms, Evolution's 5 s create 50 ms. */
    static final double WAIT_SCALE = 0.01;

    static final List<ServerSpec> ALL = List.of(
            spec("seed", Dialect.SEED, null, null),
            spec("waha-plus-2024.10.8", Dialect.WAHA, "2024.10.8", "PLUS"),
            spec("waha-core-2024.10.8", Dialect.WAHA, "2024.10.8", "CORE"),
            spec("waha-plus-2024.9.6", Dialect.WAHA, "2024.9.6", "PLUS"),
            spec("waha-core-2024.9.1", Dialect.WAHA, "2024.9.1", "CORE"),
            spec("evolution-2.3.6", Dialect.EVOLUTION, "2.3.6", null),
            spec("evolution-2.2.3", Dialect.EVOLUTION, "2.2.3", null),
            spec("evolution-1.8.2", Dialect.EVOLUTION, "1.8.2", null));

    /** Servers wafleet does not speak: too old. */
    static final List<ServerSpec> UNSUPPORTED = List.of(
            spec("waha-core-2024.8.5", Dialect.WAHA, "2024.8.5", "CORE"),
            spec("evolution-1.7.5", Dialect.EVOLUTION, "1.7.5", null));

    private ServerVariants() {}

    /** The variants' ids, for {@code @MethodSource}. */
    static List<String> ids() {
        return ALL.stream().map(ServerSpec::id).toList();
    }

    static ServerSpec byId(String id) {
        return ALL.stream().filter(spec -> spec.id().equals(id)).findFirst().orElseThrow();
    }

    static String key(String id) {
        return "key-" + id.toLowerCase(Locale.ROOT);
    }

    private static ServerSpec spec(String id, Dialect dialect, String version, String tier) {
        return ServerSpec.builder(id, dialect)
                .apiKey(key(id))
                .version(version)
                .tier(tier)
                .waitScale(WAIT_SCALE)
                .build();
    }
}
