package io.wafleet.router.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AccessRulesTest {

    private final AccessRules rules = new AccessRules(false);
    private final AccessRules publicReads = new AccessRules(true);

    @ParameterizedTest(name = "{0} {1} needs {2}")
    @CsvSource({
        "POST, /api/v1/servers, ADMIN",
        "PUT, /api/v1/servers/s-1, ADMIN",
        "DELETE, /api/v1/servers/s-1, ADMIN",
        "POST, /api/v1/servers/import, ADMIN",
        "PUT, /api/v1/lb-rules, ADMIN",
        "POST, /api/v1/servers/s-1/drain, OPERATOR",
        "DELETE, /api/v1/servers/s-1/drain, OPERATOR",
        "POST, /API/V1/Servers/s-1/Drain/, OPERATOR",
        "POST, /api/v1/accounts/a-1/connect, OPERATOR",
        "POST, /api/v1/accounts/a-1/migrate, OPERATOR",
        "POST, /api/v1/bulk/disconnect, OPERATOR",
        "POST, /api/v1/demo/servers/s-1/fault, OPERATOR",
        // Deny by default: a write nobody listed needs the most.
        "POST, /api/v1/servers/s-1/drain/extra, ADMIN",
        "PATCH, /api/v1/accounts2, ADMIN",
        "OPTIONS, /api/v1/servers, ADMIN",
        "POST, /api/v2/anything, ADMIN",
        "POST, /api/v1/ping, ADMIN",
        "GET, /api/v1/accounts/a-1/qr, READER",
        "GET, /api/v1/stream, READER",
        "HEAD, /api/v1/servers, READER",
        "GET, /api/v1/servers/select, READER",
        "GET, /api/v1/anything-new, READER",
        // The webhook receiver checks each server's own secret; only its POST skips the API token.
        "GET, /api/v1/webhooks/s-1, READER",
        "PUT, /api/v1/webhooks/s-1, ADMIN",
        "POST, /api/v1/webhooks/s-1/extra, ADMIN",
        "POST, /api/v1/webhooks, ADMIN"
    })
    void eachCallNeedsItsRole(String method, String path, Role role) {
        assertThat(rules.required(method, path)).isEqualTo(role);
    }

    @ParameterizedTest
    @CsvSource({"/api/v1/ping", "/API/v1/PING", "/api/v1/ping/"})
    void onlyThePingIsOpen(String path) {
        assertThat(rules.required("GET", path)).isNull();
    }

    @ParameterizedTest
    @CsvSource({"/api/v1/webhooks/s-1", "/API/V1/WEBHOOKS/S-1", "/api/v1/webhooks/s-1/"})
    void aServersWebhookDeliveryNeedsNoApiToken(String path) {
        assertThat(rules.required("POST", path)).isNull();
    }

    @ParameterizedTest
    @CsvSource({"GET, /api/v1/accounts/a-1/qr, ", "POST, /api/v1/accounts/a-1/connect, OPERATOR"})
    void publicReadsOpenReadsOnly(String method, String path, Role role) {
        assertThat(publicReads.required(method, path)).isEqualTo(role);
    }

    @ParameterizedTest
    @CsvSource({
        "ADMIN, OPERATOR, true",
        "ADMIN, READER, true",
        "OPERATOR, READER, true",
        "OPERATOR, ADMIN, false",
        "READER, OPERATOR, false"
    })
    void rolesIncludeTheOnesBelow(Role role, Role other, boolean included) {
        assertThat(role.includes(other)).isEqualTo(included);
    }
}
