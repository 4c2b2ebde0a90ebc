package io.wafleet.router.accounts;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/** Which partition of wa.connection-requests (and so of wa.account-state) an account is on. */
public final class RequestPartitions {

    private RequestPartitions() {}

    /** The partition the producers' default partitioner gives the account's key, of {@code count}. */
    public static int of(String accountId, int count) {
        return Utils.toPositive(Utils.murmur2(accountId.getBytes(StandardCharsets.UTF_8))) % count;
    }
}
