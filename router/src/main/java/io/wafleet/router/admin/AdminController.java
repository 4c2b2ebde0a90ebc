package io.wafleet.router.admin;

import io.wafleet.router.accounts.Account;
import io.wafleet.router.api.AccountListing;
import io.wafleet.router.api.Actor;
import io.wafleet.router.api.Json;
import io.wafleet.router.api.OperationResponses;
import io.wafleet.router.api.Problems;
import io.wafleet.router.operations.FleetOperations;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The admin API: servers and pool rules written to PostgreSQL ({@code server_configs}, {@code server_lb_rules});
 * every service learns of a change through CDC. Bodies are checked field by field; a bad one is a 400 problem naming
 * the field.
 */
@RestController
public class AdminController {

    private final ObjectProvider<AdminStore> store;
    private final FleetOperations operations;

    private final AccountListing listing;

    public AdminController(ObjectProvider<AdminStore> store, FleetOperations operations, AccountListing listing) {
        this.listing = listing;
        this.store = store;
        this.operations = operations;
    }

    @PostMapping("/api/v1/servers")
    ResponseEntity<?> create(@RequestBody Map<String, Object> body, HttpServletRequest request) throws SQLException {
        AdminStore admin = store();
        String id = admin.create(ServerForm.from(new Json(body, ""), Actor.of(request)));
        return ResponseEntity.created(URI.create("/api/v1/servers/" + id)).body(admin.server(id));
    }

    @PutMapping("/api/v1/servers/{id}")
    ResponseEntity<?> update(@PathVariable String id, @RequestBody Map<String, Object> body, HttpServletRequest request)
            throws SQLException {
        AdminStore admin = store();
        if (!admin.update(id, ServerForm.from(new Json(body, ""), Actor.of(request)))) {
            return Problems.noSuchServer(id);
        }
        return ResponseEntity.ok(admin.server(id));
    }

    @DeleteMapping("/api/v1/servers/{id}")
    ResponseEntity<?> delete(@PathVariable String id, HttpServletRequest request) throws SQLException {
        if (!store().delete(id, Actor.of(request))) {
            return Problems.noSuchServer(id);
        }
        return ResponseEntity.noContent().build();
    }

    /** The seed's Server Configuration JSON: {@code servers} (created or updated by name) and {@code loadBalancing}. */
    /**
     * Drains a server: marks it draining (it takes no new accounts once the aggregator has turned the change into
     * DRAINING) and migrates its accounts off, {@code migrationConcurrency} at a time. Answers with the operation's
     * result when it ends within {@code timeoutMs} (default 0), else 202 with its progress and where to follow it.
     */
    @PostMapping("/api/v1/servers/{id}/drain")
    ResponseEntity<?> drain(
            @PathVariable String id, @RequestParam(required = false) String timeoutMs, HttpServletRequest request)
            throws SQLException {
        java.time.Duration wait = OperationResponses.timeout(timeoutMs, java.time.Duration.ZERO);
        // The accounts other routers hold first: when one does not answer, nothing is changed (a 503 to retry).
        List<Account> elsewhere = listing.elsewhere(request, List.of(id));
        if (!store().setDraining(id, true, Actor.of(request))) {
            return Problems.noSuchServer(id);
        }
        return OperationResponses.awaited(operations.drain(id, Actor.of(request), elsewhere), wait);
    }

    /** Ends a drain: the server takes new accounts again. */
    @DeleteMapping("/api/v1/servers/{id}/drain")
    ResponseEntity<?> undrain(@PathVariable String id, HttpServletRequest request) throws SQLException {
        if (!store().setDraining(id, false, Actor.of(request))) {
            return Problems.noSuchServer(id);
        }
        return ResponseEntity.ok(Map.of("serverId", id, "draining", false));
    }

    @PostMapping("/api/v1/servers/import")
    ResponseEntity<?> importConfiguration(@RequestBody Map<String, Object> body, HttpServletRequest request)
            throws SQLException {
        Json json = new Json(body, "");
        List<ServerForm> servers = new ArrayList<>();
        for (Json server : json.objects("servers")) {
            servers.add(ServerForm.from(server, Actor.of(request)));
        }
        Json balancing = json.object("loadBalancing");
        LbRuleForm rule = balancing == null ? null : LbRuleForm.from(balancing, Actor.of(request));
        List<String> ids = store().importAll(servers, rule);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("imported", ids.size());
        result.put("ids", ids);
        result.put("loadBalancing", rule == null ? null : rule.algorithm());
        return ResponseEntity.ok(result);
    }

    @PutMapping("/api/v1/lb-rules")
    ResponseEntity<?> putRule(@RequestBody Map<String, Object> body, HttpServletRequest request) throws SQLException {
        LbRuleForm rule = LbRuleForm.from(new Json(body, ""), Actor.of(request));
        return ResponseEntity.ok(Map.of("id", store().putRule(rule), "name", rule.name()));
    }

    @ExceptionHandler(AdminStore.Conflict.class)
    ResponseEntity<ProblemDetail> conflict(AdminStore.Conflict e) {
        return Problems.of(HttpStatus.CONFLICT, "conflict", "Conflict", e.getMessage());
    }

    @ExceptionHandler(NoDatabase.class)
    ResponseEntity<ProblemDetail> noDatabase(NoDatabase e) {
        return Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "no-database", "No database", e.getMessage());
    }

    private AdminStore store() {
        AdminStore admin = store.getIfAvailable();
        if (admin == null) {
            throw new NoDatabase();
        }
        return admin;
    }

    static final class NoDatabase extends RuntimeException {
        NoDatabase() {
            super("this router has no database: set DATABASE_URL for the admin API");
        }
    }
}
