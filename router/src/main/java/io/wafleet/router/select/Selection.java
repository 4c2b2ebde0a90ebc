package io.wafleet.router.select;

import io.wafleet.avro.LbAlgorithm;

/** The answer to a selection query: a server, or why none qualifies. */
public sealed interface Selection {

    /**
     * @param server the chosen server
     * @param freeCapacity its free accounts before this one
     * @param algorithm the algorithm that picked it (null for a sticky account)
     * @param panic whether the pool was in panic, so degraded and unknown servers were candidates
     * @param sticky whether the account was already on it
     */
    record Chosen(ServerView server, int freeCapacity, LbAlgorithm algorithm, boolean panic, boolean sticky)
            implements Selection {}

    /** @param reason why no server qualifies, for a 503 problem's detail */
    record NoServer(String reason) implements Selection {}
}
