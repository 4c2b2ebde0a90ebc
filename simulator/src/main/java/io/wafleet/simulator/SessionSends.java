package io.wafleet.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What happens to the messages a simulated server's sessions send, whatever the dialect: WhatsApp's refusals (a
 * number not on WhatsApp: the simulator's numbers starting with 999; a session sending faster than its limit, which
 * WhatsApp answers {@code rate-overlimit}, a token of Baileys v7.0.0-rc.6 {@code src/WABinary/constants.ts}; random
 * send failures at the fault's rate), and for each message sent its acknowledgements later: delivered to the phone,
 * then read. The dialect renders the answer and the acknowledgement webhooks.
 */
public final class SessionSends {

    /** How sends behave: failure rate, sends per minute per session before WhatsApp refuses (0: no limit), ack delay. */
    public record Faults(double rejectRate, int perSessionPerMinute, Duration ackDelay) {
        public static final Faults NONE = new Faults(0, 0, Duration.ofMillis(200));

        public Faults {
            if (rejectRate < 0 || rejectRate > 1 || perSessionPerMinute < 0 || ackDelay.isNegative()) {
                throw new IllegalArgumentException("rejectRate in [0, 1], perSessionPerMinute >= 0, ackDelay >= 0");
            }
        }
    }

    /** What became of one send. */
    enum Outcome {
        SENT,
        NOT_ON_WHATSAPP,
        RATE_LIMITED,
        FAILED
    }

    /** A sent message's acknowledgement: 2 = delivered to the device, 3 = read (WAHA's WAMessageAck numbers). */
    interface Acks {
        void acknowledge(Session session, String messageId, String chatId, int ack, Instant at);
    }

    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final Clock clock;
    private final ScheduledExecutorService timers;
    private final Map<String, Deque<Instant>> recentSends = new ConcurrentHashMap<>();
    private final Map<Outcome, AtomicLong> counts = new ConcurrentHashMap<>();
    private volatile Faults faults = Faults.NONE;
    private volatile Acks acks = (session, id, chat, ack, at) -> {};

    SessionSends(Clock clock, ScheduledExecutorService timers) {
        this.clock = clock;
        this.timers = timers;
    }

    void acks(Acks acks) {
        this.acks = acks;
    }

    void faults(Faults faults) {
        this.faults = faults;
    }

    /** One send from a working session to a recipient's digits (or chat id); on SENT its acks are scheduled. */
    Outcome send(Session session, String recipient) {
        Faults now = faults;
        Outcome outcome = outcome(session, recipient, now);
        counts.computeIfAbsent(outcome, o -> new AtomicLong()).incrementAndGet();
        return outcome;
    }

    /** Schedules the acknowledgements of a message sent now: delivered after the ack delay, read after twice it. */
    void sent(Session session, String messageId, String chatId) {
        long delay = faults.ackDelay().toMillis();
        for (int ack = 2; ack <= 3; ack++) {
            int value = ack;
            timers.schedule(
                    () -> acks.acknowledge(session, messageId, chatId, value, clock.instant()),
                    delay * (ack - 1),
                    TimeUnit.MILLISECONDS);
        }
    }

    private Outcome outcome(Session session, String recipient, Faults now) {
        String digits = recipient.contains("@") ? recipient.substring(0, recipient.indexOf('@')) : recipient;
        if (digits.startsWith("999")) {
            return Outcome.NOT_ON_WHATSAPP;
        }
        if (now.perSessionPerMinute() > 0) {
            Instant at = clock.instant();
            Deque<Instant> sends = recentSends.computeIfAbsent(session.connectionId(), id -> new ArrayDeque<>());
            synchronized (sends) {
                while (!sends.isEmpty() && !sends.peekFirst().isAfter(at.minus(MINUTE))) {
                    sends.pollFirst();
                }
                if (sends.size() >= now.perSessionPerMinute()) {
                    return Outcome.RATE_LIMITED;
                }
                sends.addLast(at);
            }
        }
        if (now.rejectRate() > 0 && ThreadLocalRandom.current().nextDouble() < now.rejectRate()) {
            return Outcome.FAILED;
        }
        return Outcome.SENT;
    }

    /** A new message id in the form WhatsApp Web gives its own messages (3EB0 and 16 hex digits). */
    static String newId() {
        byte[] bytes = new byte[8];
        ThreadLocalRandom.current().nextBytes(bytes);
        return "3EB0" + HexFormat.of().withUpperCase().formatHex(bytes);
    }

    /** Sends by outcome so far. */
    Map<String, Object> counts() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Outcome outcome : Outcome.values()) {
            AtomicLong count = counts.get(outcome);
            out.put(outcome.name().toLowerCase(java.util.Locale.ROOT), count == null ? 0 : count.get());
        }
        return out;
    }
}
