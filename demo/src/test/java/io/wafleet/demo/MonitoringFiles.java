package io.wafleet.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/** What deploy/prometheus/alerts.yml and deploy/grafana/wafleet.json hold: alerts, their PromQL, metric names. */
final class MonitoringFiles {

    static final Path HOME =
            Path.of(System.getProperty("wafleet.home", "..")).toAbsolutePath().normalize();
    static final Path RULES = HOME.resolve("deploy/prometheus/alerts.yml");
    static final Path RULE_TESTS = HOME.resolve("deploy/prometheus/alerts-test.yml");
    static final Path DASHBOARD = HOME.resolve("deploy/grafana/wafleet.json");

    private static final Pattern METRIC = Pattern.compile("\\b((?:wafleet|kafka)_[a-z0-9_]+|up)\\b");

    private MonitoringFiles() {}

    /** Each alert rule as its YAML map (alert, expr, for, labels, annotations). */
    static List<Map<?, ?>> alertRules() throws IOException {
        List<Map<?, ?>> rules = new ArrayList<>();
        for (Object group : (List<?>) yaml(RULES).get("groups")) {
            for (Object rule : (List<?>) ((Map<?, ?>) group).get("rules")) {
                rules.add((Map<?, ?>) rule);
            }
        }
        return rules;
    }

    static List<String> alertNames() throws IOException {
        return alertRules().stream().map(rule -> rule.get("alert").toString()).toList();
    }

    static List<String> ruleExpressions() throws IOException {
        return alertRules().stream().map(rule -> rule.get("expr").toString()).toList();
    }

    static List<String> dashboardExpressions() throws IOException {
        List<String> expressions = new ArrayList<>();
        for (JsonNode panel : new ObjectMapper().readTree(DASHBOARD.toFile()).path("panels")) {
            panel.path("targets")
                    .forEach(target -> expressions.add(target.path("expr").asText()));
        }
        return expressions;
    }

    /** The metric names in PromQL expressions (functions, labels and keywords are not of the form matched). */
    static Set<String> metricNames(List<String> expressions) {
        Set<String> names = new TreeSet<>();
        for (String expression : expressions) {
            // Label values and other strings are not metric names.
            Matcher matcher = METRIC.matcher(expression.replaceAll("\"[^\"]*\"", "\"\""));
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
        }
        return names;
    }

    static Map<String, Object> yaml(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new Yaml().load(in);
        }
    }
}
