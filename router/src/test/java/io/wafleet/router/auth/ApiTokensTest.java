package io.wafleet.router.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiTokensTest {

    @TempDir
    Path dir;

    @Test
    void tokensFromTheFileAndTheEnvironmentAreFoundByTheirHashOnly() throws Exception {
        Path file = write("# comment\n\n  ci   Operator  " + ApiTokens.hash("ci-token-0123456789") + "  \n");

        ApiTokens tokens = ApiTokens.load(file, "admin-token-0123456789", "read-token-0123456789");

        assertThat(tokens.size()).isEqualTo(3);
        assertThat(tokens.find("ci-token-0123456789")).isEqualTo(new ApiTokens.Token("ci", Role.OPERATOR));
        assertThat(tokens.find("admin-token-0123456789")).isEqualTo(new ApiTokens.Token("admin", Role.ADMIN));
        assertThat(tokens.find("read-token-0123456789")).isEqualTo(new ApiTokens.Token("reader", Role.READER));
        assertThat(tokens.find(ApiTokens.hash("ci-token-0123456789"))).isNull();
        assertThat(tokens.find("ci-token-012345678")).isNull();
    }

    @Test
    void theHashIsSha256HexOfTheUtf8Bytes() {
        // echo -n abc | sha256sum
        assertThat(ApiTokens.hash("abc"))
                .isEqualTo("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void aBadLineNamesTheFileAndLine() throws Exception {
        String hash = ApiTokens.hash("some-token-0123456789");
        assertRefused("ci operator\n", ":1: expected '<name> <role> sha256:<64 hex digits>'");
        assertRefused("\nci owner " + hash + "\n", ":2: unknown role 'owner'");
        assertRefused("c/i admin " + hash + "\n", ":1: a token name is");
        assertRefused("ci admin " + hash.toUpperCase() + "\n", ":1: the hash must be");
        assertRefused(
                "ci admin " + hash + "\nci reader " + ApiTokens.hash("other-0123456789") + "\n",
                ":2: a second token named 'ci'");
        assertRefused("ci admin " + hash + "\ncd reader " + hash + "\n", ":2: the same token as 'ci'");
    }

    @Test
    void plainTokensMustBeLong() {
        assertThatThrownBy(() -> ApiTokens.load(null, "short", null))
                .hasMessage("WAFLEET_ADMIN_TOKEN must be at least 16 characters");
        assertThatThrownBy(() -> ApiTokens.load(null, null, "short"))
                .hasMessage("WAFLEET_READ_TOKEN must be at least 16 characters");
    }

    @Test
    void aMissingFileIsAClearError() {
        assertThatThrownBy(() -> ApiTokens.load(dir.resolve("absent"), null, null))
                .hasMessageStartingWith("cannot read the tokens file " + dir.resolve("absent"));
    }

    private void assertRefused(String content, String message) throws Exception {
        Path file = write(content);
        assertThatThrownBy(() -> ApiTokens.load(file, null, null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file + message);
    }

    private Path write(String content) throws Exception {
        Path file = Files.createTempFile(dir, "tokens", "");
        Files.writeString(file, content);
        return file;
    }
}
