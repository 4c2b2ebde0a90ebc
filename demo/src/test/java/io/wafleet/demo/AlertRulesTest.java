package io.wafleet.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.wafleet.platform.junit.OutsideTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/prometheus checked by Prometheus's own promtool (Debian's prometheus package): the rules are valid, their
 * unit tests pass, every alert has one, and the compose file's Prometheus configuration loads them.
 */
class AlertRulesTest {

    private static final Path HOME =
            Path.of(System.getProperty("wafleet.home", "..")).toAbsolutePath().normalize();
    private static final Path RULES = HOME.resolve("deploy/prometheus/alerts.yml");
    private static final Path RULE_TESTS = HOME.resolve("deploy/prometheus/alerts-test.yml");
    private static final OutsideTool PROMTOOL =
            OutsideTool.of("promtool (Prometheus's rule checker)", "apt-get install prometheus", "promtool");

    @Test
    void theRulesAreValid() throws Exception {
        Result result = promtool(RULES.getParent(), "check", "rules", RULES.toString());

        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output())
                .contains("SUCCESS: " + MonitoringFiles.alertNames().size() + " rules found");
    }

    @Test
    void theRuleUnitTestsPass() throws Exception {
        Result result = promtool(RULES.getParent(), "test", "rules", RULE_TESTS.toString());

        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    @Test
    void everyAlertHasAUnitTestThatExpectsItToFire() throws IOException {
        Set<String> tested = new TreeSet<>();
        for (Object test : (List<?>) MonitoringFiles.yaml(RULE_TESTS).get("tests")) {
            for (Object check : (List<?>) ((Map<?, ?>) test).get("alert_rule_test")) {
                Map<?, ?> alertTest = (Map<?, ?>) check;
                Object expected = alertTest.get("exp_alerts");
                // promtool reads a check without exp_alerts as one that expects none.
                if (expected != null && !((List<?>) expected).isEmpty()) {
                    tested.add(alertTest.get("alertname").toString());
                }
            }
        }

        assertThat(tested).containsAll(MonitoringFiles.alertNames());
    }

    @Test
    void theComposePrometheusConfigurationLoadsTheRules(@TempDir Path folder) throws Exception {
        // As compose mounts them: the configuration names /etc/prometheus/alerts.yml.
        String config = Files.readString(HOME.resolve("deploy/prometheus/prometheus.yml"))
                .replace("/etc/prometheus/alerts.yml", RULES.toString());
        Path copy = Files.writeString(folder.resolve("prometheus.yml"), config);

        Result result = promtool(folder, "check", "config", copy.toString());

        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output())
                .contains("SUCCESS: " + MonitoringFiles.alertNames().size() + " rules found");
    }

    private record Result(int exit, String output) {}

    private static Result promtool(Path directory, String... arguments) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(PROMTOOL.requireOne().toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }
}
