package io.wafleet.platform.kafka;

import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The classpath a child JVM needs to run this JVM's classes: the entries of every URL class loader from this class's
 * loader up (as under {@code mvn exec:java}), then {@code java.class.path} (as under Surefire or {@code java -cp}).
 */
final class ChildClasspath {

    private ChildClasspath() {}

    static String current() {
        Set<String> entries = new LinkedHashSet<>();
        for (ClassLoader loader = ChildClasspath.class.getClassLoader(); loader != null; loader = loader.getParent()) {
            if (loader instanceof URLClassLoader urls) {
                for (URL url : urls.getURLs()) {
                    entries.add(toPath(url));
                }
            }
        }
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static String toPath(URL url) {
        try {
            return Path.of(url.toURI()).toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return url.getPath();
        }
    }
}
