package io.wafleet.router.messages;

import static org.assertj.core.api.Assertions.assertThat;

import io.wafleet.avro.OutboundMessage;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What an outbound message must be to be sent: each wrong field is named. */
class MessageProblemsTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "491701234567",
                "+491701234567",
                "491701234567@c.us",
                "120363025246125486@g.us",
                "491701234567@s.whatsapp.net"
            })
    void recipientsInTheFormsTheServersTakeAreAccepted(String recipient) {
        assertThat(MessageProblems.of(message(recipient, "hi\nthere\twith a tab"), 4096))
                .isNull();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "0170123|recipient",
                "not a number|recipient",
                "4917012345678901234|recipient",
                "491701234567@example.com|recipient",
            })
    void aBadRecipientIsNamed(String recipient, String field) {
        assertThat(MessageProblems.of(message(recipient, "hi"), 4096).field()).isEqualTo(field);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "nul \u0000 inside", "bell \u0007"})
    void anEmptyTextOrOneWithControlCharactersIsRefused(String text) {
        assertThat(MessageProblems.of(message("491701234567", text), 4096).field())
                .isEqualTo("text");
    }

    @org.junit.jupiter.api.Test
    void aTextOverTheLimitAndMissingIdsAreNamed() {
        assertThat(MessageProblems.of(message("491701234567", "x".repeat(11)), 10)
                        .detail())
                .contains("at most 10 characters, was 11");
        OutboundMessage noId = message("491701234567", "hi");
        noId.setMessageId(" ");
        assertThat(MessageProblems.of(noId, 4096).field()).isEqualTo("messageId");
        OutboundMessage badMetadata = message("491701234567", "hi");
        badMetadata.setMetadata(Map.of("line\nbreak", "x"));
        assertThat(MessageProblems.of(badMetadata, 4096).field()).startsWith("metadata.");
        assertThat(MessageProblems.recipient("+491701234567")).isEqualTo("491701234567");
    }

    private static OutboundMessage message(String recipient, String text) {
        return OutboundMessage.newBuilder()
                .setMessageId("m-1")
                .setAccountId("acct-1")
                .setRecipient(recipient)
                .setText(text)
                .build();
    }
}
