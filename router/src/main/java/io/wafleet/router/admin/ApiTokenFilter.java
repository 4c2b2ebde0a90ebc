package io.wafleet.router.admin;

import io.wafleet.router.api.PathFirewallFilter;
import io.wafleet.router.api.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bearer tokens on {@code /api/**} (the routed path, in any case): writes (anything but GET) need the admin token, reads need the read token
 * when one is configured (the admin token also reads). Tokens are compared in constant time, on their SHA-256, so
 * neither their content nor their length leaks through timing; they are never logged.
 */
public final class ApiTokenFilter extends OncePerRequestFilter {

    private final byte[] adminToken;
    private final byte[] readToken;

    public ApiTokenFilter(String adminToken, String readToken) {
        this.adminToken = adminToken == null ? null : sha256(adminToken);
        this.readToken = readToken == null ? null : sha256(readToken);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        // The routed path, not the raw URI: "/%61pi/v1/..." and "/api;x/v1/..." are routed to /api/v1/ too.
        return !PathFirewallFilter.isApi(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean write =
                !request.getMethod().equals("GET") && !request.getMethod().equals("HEAD");
        byte[] given = bearer(request);
        if (write && adminToken == null) {
            problem(response, 403, "Admin API disabled", "set WAFLEET_ADMIN_TOKEN to enable the admin API");
            return;
        }
        boolean allowed = write
                ? matches(given, adminToken)
                : readToken == null || matches(given, readToken) || matches(given, adminToken);
        if (!allowed) {
            response.setHeader("WWW-Authenticate", "Bearer");
            problem(
                    response,
                    401,
                    "Unauthorized",
                    given == null ? "this call needs a bearer token" : "the bearer token is not valid for this call");
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean matches(byte[] given, byte[] expected) {
        return given != null && expected != null && MessageDigest.isEqual(given, expected);
    }

    private static byte[] bearer(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return sha256(header.substring(7).trim());
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void problem(HttpServletResponse response, int status, String title, String detail)
            throws IOException {
        Problems.write(response, status, status == 401 ? "unauthorized" : "forbidden", title, detail);
    }
}
