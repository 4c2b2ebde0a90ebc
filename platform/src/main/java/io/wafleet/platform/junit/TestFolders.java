package io.wafleet.platform.junit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Throw-away data folders of the embedded servers, under {@code target/} when run by Maven. */
final class TestFolders {

    private TestFolders() {}

    static Path create(String prefix) {
        try {
            Path target = Path.of("target");
            Path parent = Files.isDirectory(target) ? target : Path.of(System.getProperty("java.io.tmpdir"));
            return Files.createTempDirectory(parent.toAbsolutePath(), prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a data folder for " + prefix, e);
        }
    }

    static void delete(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + folder, e);
        }
    }
}
