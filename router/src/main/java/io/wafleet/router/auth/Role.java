package io.wafleet.router.auth;

import java.util.Locale;

/**
 * What a token may do, each role including the ones below it: {@code reader} reads (accounts, QR codes, servers,
 * metrics, the event stream, selection), {@code operator} also acts on accounts (connect, disconnect, migrate, drain,
 * bulk), {@code admin} also writes server configs and pool rules.
 */
public enum Role {
    READER,
    OPERATOR,
    ADMIN;

    public boolean includes(Role other) {
        return compareTo(other) >= 0;
    }

    /** The role named {@code name} in any case; an unknown name is an error naming the roles there are. */
    public static Role of(String name) {
        for (Role role : values()) {
            if (role.name().equalsIgnoreCase(name)) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role '" + name + "': one of reader, operator, admin");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
