package io.wafleet.demo;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The demo's outbound messages: each tick, a message from an account connected a while ago, posted as the JSON a
 * producer without Avro writes (README "Messages"); every seventh goes to a number the simulator says is not on
 * WhatsApp, so a REJECTED failure shows too.
 */
final class DemoMessages {

    /** Ticks between an account's CONNECT and its first message: its QR is scanned 20 s in, ticks are 2 s. */
    private static final int AFTER = 15;

    private DemoMessages() {}

    static void post(KafkaProducer<byte[], byte[]> producer, String topic, int tick) {
        if (tick <= AFTER) {
            return;
        }
        String account = String.format("demo-%05d", tick - AFTER);
        String recipient = tick % 7 == 0 ? "999000" + tick : "4917000" + String.format("%05d", tick);
        String json = String.format(
                Locale.ROOT,
                "{\"messageId\":\"demo-msg-%d\",\"accountId\":\"%s\",\"recipient\":\"%s\","
                        + "\"text\":\"Hello from the wafleet demo (%d)\",\"metadata\":{\"source\":\"demo\"}}",
                tick,
                account,
                recipient,
                tick);
        producer.send(new ProducerRecord<>(
                topic, account.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8)));
    }
}
