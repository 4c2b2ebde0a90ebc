package io.wafleet.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./wafleet demo} and {@code ./wafleet start}. */
@Command(
        name = "wafleet",
        mixinStandardHelpOptions = true,
        subcommands = {DemoCommand.class, StartCommand.class, ReencryptKeysCommand.class, TokenCommand.class},
        description = "Runs wafleet: the whole demo fleet on this machine, or the services against your cluster.")
public final class Wafleet implements Runnable {

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "wafleet-demo-logback.xml");
        }
        int exit = new CommandLine(new Wafleet())
                // 0, 500ms, 20s, 1m or ISO-8601 (PT20S).
                .registerConverter(Duration.class, Wafleet::duration)
                .execute(args);
        if (exit != 0) {
            System.exit(exit);
        }
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** The checkout the launcher runs from (set by ./wafleet), where the services' jars are built. */
    static Path home() {
        return Path.of(System.getProperty("wafleet.home", ".")).toAbsolutePath().normalize();
    }

    /** The project version, from this module's Maven properties. */
    static String version() {
        try (InputStream in =
                Wafleet.class.getResourceAsStream("/META-INF/maven/io.wafleet/wafleet-demo/pom.properties")) {
            if (in != null) {
                Properties properties = new Properties();
                properties.load(in);
                return properties.getProperty("version");
            }
        } catch (IOException e) {
            // The fallback below.
        }
        return "0.1.0-SNAPSHOT";
    }

    /** 0, 500ms, 20s, 5m, 1h, or ISO-8601 (PT20S). */
    static Duration duration(String text) {
        java.util.regex.Matcher simple =
                java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)?").matcher(text.trim());
        if (!simple.matches()) {
            return Duration.parse(text.trim());
        }
        long amount = Long.parseLong(simple.group(1));
        String unit = simple.group(2) == null ? "s" : simple.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofSeconds(amount);
        };
    }
}
