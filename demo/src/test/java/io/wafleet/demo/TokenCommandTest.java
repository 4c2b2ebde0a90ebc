package io.wafleet.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.wafleet.router.auth.ApiTokens;
import io.wafleet.router.auth.Role;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TokenCommandTest {

    @Test
    void theLineItPrintsLetsTheRouterKnowTheTokenByItsHashOnly(@TempDir Path dir) throws Exception {
        // The command's own output stream, not System.out: other classes of the module log there meanwhile.
        StringWriter printed = new StringWriter();
        CommandLine command = new CommandLine(new Wafleet());
        command.setOut(new PrintWriter(printed, true));
        int exit = command.execute("token", "--name", "ci-deployer", "--role", "operator");
        String[] lines = printed.toString().split("\n");
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
