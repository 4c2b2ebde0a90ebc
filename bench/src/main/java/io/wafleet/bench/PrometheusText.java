package io.wafleet.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A service's /actuator/prometheus page read by a bench: scraped, and its series summed or read as quantiles. */
final class PrometheusText {

    private PrometheusText() {}

    /** The worker's collectors, as its metrics name them. */
    static String collectors(String metrics) {
        Matcher matcher = Pattern.compile("jvm_gc_pause_seconds_count\\{[^}]*gc=\"([^\"]+)\"")
                .matcher(metrics);
        Set<String> names = new TreeSet<>();
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names.isEmpty() ? "no collection yet" : String.join(", ", names);
    }

    static String scrape(String url) {
        try {
            return HttpClient.newHttpClient()
                    .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (Exception notYet) {
            return "";
        }
    }

    /** A gauge's value, with or without labels (every series carries {@code application}). */
    static double value(String metrics, String name) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return Double.parseDouble(
                        line.substring(line.lastIndexOf(' ') + 1).trim());
            }
        }
        return 0;
    }

    /** A quantile of what a histogram recorded between two scrapes, from its cumulative buckets (upper bound). */
    static double quantile(String before, String after, String histogram, double q) {
        Pattern bucket =
                Pattern.compile("(?m)^" + histogram + "_bucket\\{(?:[^}]*,)?le=\"([^\"]+)\"[^}]*\\} ([0-9.eE+-]+)$");
        Map<String, Double> start = new HashMap<>();
        Matcher old = bucket.matcher(before);
        while (old.find()) {
            start.put(old.group(1), Double.parseDouble(old.group(2)));
        }
        List<double[]> window = new ArrayList<>();
        Matcher now = bucket.matcher(after);
        while (now.find()) {
            double le = now.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(now.group(1));
            window.add(new double[] {le, Double.parseDouble(now.group(2)) - start.getOrDefault(now.group(1), 0.0)});
        }
        window.sort((a, b) -> Double.compare(a[0], b[0]));
        double total = window.isEmpty() ? 0 : window.get(window.size() - 1)[1];
        for (double[] upTo : window) {
            if (upTo[1] >= q * total) {
                return upTo[0];
            }
        }
        return Double.NaN;
    }

    static double sum(String metrics, String namePattern) {
        Matcher matcher = Pattern.compile("(?m)^" + namePattern + "(\\{[^}]*\\})? ([0-9.eE+-]+)$")
                .matcher(metrics);
        double total = 0;
        while (matcher.find()) {
            total += Double.parseDouble(matcher.group(2));
        }
        return total;
    }
}
