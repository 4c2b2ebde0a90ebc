package io.wafleet.router.operations;

import io.wafleet.avro.HealthReport;
import io.wafleet.client.CallResult;
import io.wafleet.client.StatsReport;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** What a bulk health or stats call to a server shows in its operation's view. */
final class CallOutcomes {

    private CallOutcomes() {}

    static Map<String, Object> of(CallResult<?> result) {
        Map<String, Object> outcome = new LinkedHashMap<>();
        outcome.put("ok", result.isOk());
        outcome.put("latencyMs", result.latency().toNanos() / 1_000_000.0);
        if (result instanceof CallResult.Ok<?> ok) {
            outcome.put("httpStatus", ok.httpStatus());
            Object value = ok.value();
            if (value instanceof HealthReport report) {
                outcome.put("status", report.getStatus());
                if (report.getAccounts() != null) {
                    outcome.put(
                            "accounts",
                            Map.of(
                                    "total", report.getAccounts().getTotal(),
                                    "connected", report.getAccounts().getConnected(),
                                    "connecting", report.getAccounts().getConnecting()));
                }
                outcome.put("version", report.getVersion());
            } else if (value instanceof Optional<?> stats) {
                outcome.put(
                        "stats", stats.map(s -> (Object) view((StatsReport) s)).orElse("this server reports no stats"));
            }
        } else {
            CallResult.Failed<?> failed = (CallResult.Failed<?>) result;
            outcome.put("httpStatus", failed.httpStatus());
            outcome.put("errorKind", failed.kind().name());
            outcome.put("message", failed.message());
        }
        return outcome;
    }

    private static Map<String, Object> view(StatsReport stats) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("cpu", stats.cpu());
        view.put("memory", stats.memory());
        view.put("activeInstances", stats.activeInstances());
        view.put("totalUsers", stats.totalUsers());
        view.put("messagesPerMinute", stats.messagesPerMinute());
        view.put("errorRate", stats.errorRate());
        return view;
    }
}
