package io.wafleet.demo;

import io.wafleet.router.auth.ApiTokens;
import io.wafleet.router.auth.Role;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./wafleet token}: a new random API token and its line for the router's tokens file. */
@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        description = "Makes a random API token: prints the token (give it to its user) and the line for"
                + " WAFLEET_TOKENS_FILE (only its hash: the router never holds the token itself).")
final class TokenCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--name", required = true, description = "Who uses it; the actor the audit records.")
    String name;

    @Option(names = "--role", required = true, description = "admin, operator or reader.")
    String role;

    @Override
    public Integer call() {
        Role parsed = Role.of(role);
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String token = "wft_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        PrintWriter out = spec.commandLine().getOut();
        out.println("token: " + token);
        out.println("line:  " + name + " " + parsed + " " + ApiTokens.hash(token));
        out.flush();
        return 0;
    }
}
