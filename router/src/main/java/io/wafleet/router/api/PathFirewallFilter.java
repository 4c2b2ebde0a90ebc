package io.wafleet.router.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Spring Security's {@link StrictHttpFirewall} in front of every request: a path that the servlet container, Spring
 * MVC and a filter could read differently — encoded slashes or dots, {@code ;} parameters, {@code //}, {@code /./},
 * {@code ..}, a backslash, control characters — is a 400 before anything else sees it, so the token check and the
 * rate limit decide on the same path that is routed.
 */
public final class PathFirewallFilter extends OncePerRequestFilter {

    private final StrictHttpFirewall firewall = new StrictHttpFirewall();

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            firewall.getFirewalledRequest(request);
        } catch (RequestRejectedException e) {
            // The reason names the offending part of the path, never a header's value.
            Problems.write(response, 400, "rejected-request", "Request rejected", e.getMessage());
            return;
        }
        chain.doFilter(request, response);
    }

    /**
     * The path the request is routed by: decoded, normalised and without path parameters, as the container maps it
     * (what {@link HttpServletRequest#getRequestURI()} is not).
     */
    public static String routedPath(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        return (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
    }

    /** Whether the routed path is under {@code /api/}, whatever its case. */
    public static boolean isApi(HttpServletRequest request) {
        return routedPath(request).regionMatches(true, 0, "/api/", 0, 5);
    }
}
