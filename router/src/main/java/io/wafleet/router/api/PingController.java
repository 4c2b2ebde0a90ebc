package io.wafleet.router.api;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/ping}: answers "pong"; the framework's own cost per request, for comparison with selection. */
@RestController
class PingController {

    @GetMapping("/api/v1/ping")
    String ping() {
        return "pong";
    }
}
