package io.wafleet.platform.junit;

import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * A program from outside Maven that some tests need (Chromium, promtool, Prometheus, a PostgreSQL server): found on
 * the PATH or at a path given by a system property, else the test is skipped with one line saying what to install,
 * except under {@code CI=true}, where a missing tool fails the test so CI always runs it.
 *
 * @param name what the tests use it for, as it appears in the skip line
 * @param install how to get it, e.g. "apt-get install chromium chromium-driver"
 * @param executables the programs, by name on the PATH or by absolute path
 */
public record OutsideTool(String name, String install, List<String> executables) {

    public OutsideTool {
        executables = List.copyOf(executables);
    }

    public static OutsideTool of(String name, String install, String... executables) {
        return new OutsideTool(name, install, List.of(executables));
    }

    /**
     * The path of each executable, in order; skips the calling test (or fails it under CI=true) when any is missing.
     */
    public List<Path> require() {
        List<Path> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String executable : executables) {
            locate(executable).ifPresentOrElse(found::add, () -> missing.add(executable));
        }
        if (missing.isEmpty()) {
            return found;
        }
        String line = "%s not found (%s): %s; install it with `%s` to run this test"
                .formatted(name, String.join(", ", missing), skipOrFail(), install);
        if (ci()) {
            throw new IllegalStateException(line);
        }
        console("SKIPPED: " + line);
        Assumptions.abort(line);
        return found;
    }

    /** The first executable's path, for a tool of one program. */
    public Path requireOne() {
        return require().get(0);
    }

    /** True when every executable is there. */
    public boolean present() {
        return executables.stream().allMatch(executable -> locate(executable).isPresent());
    }

    /**
     * Surefire keeps System.out and System.err in report files; the process's own stderr still reaches the console
     * that runs Maven, so a skip is seen where the build is watched.
     */
    private static void console(String line) {
        try {
            FileOutputStream err = new FileOutputStream(FileDescriptor.err);
            err.write((line + System.lineSeparator()).getBytes(StandardCharsets.UTF_8));
            err.flush();
        } catch (IOException e) {
            System.err.println(line);
        }
    }

    static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    private static String skipOrFail() {
        return ci() ? "required because CI=true" : "skipped";
    }

    private static Optional<Path> locate(String executable) {
        if (executable.contains("/")) {
            Path path = Path.of(executable);
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String folder : path.split(File.pathSeparator)) {
            if (folder.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(folder, executable);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
