package io.wafleet.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./wafleet demo} and {@code ./wafleet start}. */
@Command(
        name = "wafleet",
        mixinStandardHelpOptions = true,
        subcommands = {DemoCommand.class, StartCommand.class},
        description = "Runs wafleet: the whole demo fleet on this machine, or the services against your cluster.")
public final class Wafleet implements Runnable {

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "wafleet-demo-logback.xml");
        }
        int exit = new CommandLine(new Wafleet()).execute(args);
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
}
