package io.wafleet.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A simulator started in its own JVM from its exec jar, and the servers.json it printed.
 *
 * @param process the simulator's process; destroy it when done
 * @param servers the fleet it printed
 */
record SimulatorProcess(Process process, JsonNode servers) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static SimulatorProcess start(Path jar, List<String> jvmOptions, List<String> arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(arguments);
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder json = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null) {
            json.append(line).append('\n');
            if (line.equals("}")) {
                return new SimulatorProcess(process, MAPPER.readTree(json.toString()));
            }
        }
        throw new IllegalStateException("the simulator exited before printing servers.json");
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
