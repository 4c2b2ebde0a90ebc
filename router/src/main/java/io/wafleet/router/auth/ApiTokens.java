package io.wafleet.router.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The API's bearer tokens, each with a name (the actor written to the audit) and a {@link Role}, held only as
 * SHA-256 hashes. Tokens come from a file, one per line: {@code <name> <role> sha256:<64 hex digits>} ({@code #}
 * starts a comment; {@code ./wafleet token} makes a token and its line), and from {@code WAFLEET_ADMIN_TOKEN} (named
 * {@code admin}) and {@code WAFLEET_READ_TOKEN} (named {@code reader}). A plain SHA-256 is enough because tokens are
 * long random strings, not passwords a person chose: the environment's two must be at least 16 characters.
 */
public final class ApiTokens {

    /** Who a token belongs to and what it may do. */
    public record Token(String name, Role role) {}

    static final int MIN_PLAIN_LENGTH = 16;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    private static final Pattern HASH = Pattern.compile("sha256:[0-9a-f]{64}");

    private final Map<String, Token> byHash = new HashMap<>();

    private ApiTokens() {}

    /**
     * @param file the tokens file, or null
     * @param adminToken a plain admin token, or null
     * @param readToken a plain read token, or null
     * @throws IllegalStateException naming the file's line or the setting that is wrong
     */
    public static ApiTokens load(Path file, String adminToken, String readToken) {
        ApiTokens tokens = new ApiTokens();
        if (adminToken != null) {
            tokens.add(
                    hash(plain(adminToken, "WAFLEET_ADMIN_TOKEN")),
                    new Token("admin", Role.ADMIN),
                    "WAFLEET_ADMIN_TOKEN");
        }
        if (readToken != null) {
            tokens.add(
                    hash(plain(readToken, "WAFLEET_READ_TOKEN")),
                    new Token("reader", Role.READER),
                    "WAFLEET_READ_TOKEN");
        }
        if (file != null) {
            tokens.read(file);
        }
        return tokens;
    }

    /** The token presented, or null when it is not one of these. */
    public Token find(String presented) {
        return byHash.get(hash(presented));
    }

    public boolean isEmpty() {
        return byHash.isEmpty();
    }

    public int size() {
        return byHash.size();
    }

    /** The form a token takes in the file: {@code sha256:} and the hex of its UTF-8 bytes' SHA-256. */
    public static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the tokens file " + file + ": " + e.getMessage(), e);
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = file + ":" + (i + 1);
            String[] parts = line.split("\\s+");
            if (parts.length != 3) {
                throw new IllegalStateException(where + ": expected '<name> <role> sha256:<64 hex digits>'");
            }
            if (!NAME.matcher(parts[0]).matches()) {
                throw new IllegalStateException(where + ": a token name is 1 to 64 of A-Z a-z 0-9 . _ @ -");
            }
            if (!HASH.matcher(parts[2]).matches()) {
                throw new IllegalStateException(where + ": the hash must be sha256: and 64 lower-case hex digits");
            }
            Role role;
            try {
                role = Role.of(parts[1]);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(where + ": " + e.getMessage(), e);
            }
            add(parts[2], new Token(parts[0], role), where);
        }
    }

    private void add(String hash, Token token, String where) {
        for (Token known : byHash.values()) {
            if (known.name().equals(token.name())) {
                throw new IllegalStateException(where + ": a second token named '" + token.name() + "'");
            }
        }
        if (byHash.putIfAbsent(hash, token) != null) {
            throw new IllegalStateException(
                    where + ": the same token as '" + byHash.get(hash).name() + "'");
        }
    }

    private static String plain(String token, String setting) {
        if (token.length() < MIN_PLAIN_LENGTH) {
            throw new IllegalStateException(setting + " must be at least " + MIN_PLAIN_LENGTH + " characters");
        }
        return token;
    }
}
