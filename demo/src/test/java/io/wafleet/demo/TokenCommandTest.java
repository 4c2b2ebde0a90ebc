package io.wafleet.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.wafleet.router.auth.ApiTokens;
import io.wafleet.router.auth.Role;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TokenCommandTest {

    @Test
    void theLineItPrintsLetsTheRouterKnowTheTokenByItsHashOnly(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            exit = new CommandLine(new Wafleet()).execute("token", "--name", "ci-deployer", "--role", "operator");
        } finally {
            System.setOut(out);
        }
        String[] lines = printed.toString(StandardCharsets.UTF_8).split("\n");
        String token = lines[0].substring("token: ".length()).strip();
        String line = lines[1].substring("line:  ".length()).strip();
        Files.writeString(dir.resolve("tokens"), line + "\n");

        assertThat(exit).isZero();
        assertThat(token).startsWith("wft_").hasSizeGreaterThan(40);
        assertThat(line).doesNotContain(token);
        assertThat(ApiTokens.load(dir.resolve("tokens"), null, null).find(token))
                .isEqualTo(new ApiTokens.Token("ci-deployer", Role.OPERATOR));
    }
}
