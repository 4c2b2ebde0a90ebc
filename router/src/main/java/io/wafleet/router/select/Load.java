package io.wafleet.router.select;

/** Accounts assigned to a server that its health reports do not count yet (the account registry knows them). */
@FunctionalInterface
public interface Load {

    Load NONE = serverId -> 0;

    int pending(String serverId);
}
