package io.wafleet.client;

import io.wafleet.avro.AccountState;

/**
 * What Evolution's {@code statusReason} means: Baileys' {@code DisconnectReason} (WhiskeySockets/Baileys v7.0.0-rc.6
 * {@code src/Types/index.ts}, the Baileys of EvolutionAPI/evolution-api 2.3.6), and what the instance does next.
 * Evolution reconnects by itself on every code but 401, 403, 402 and 406 (2.3.6 {@code
 * whatsapp.baileys.service.ts connectionUpdate}, {@code codesToNotReconnect}): a close with any other code is the
 * account reconnecting, not a lost account.
 */
final class BaileysReasons {

    /** A reason code's meaning and the state a {@code close} with it puts the account in. */
    record Meaning(String words, AccountState stateOnClose) {}

    private BaileysReasons() {}

    static Meaning of(Long code) {
        if (code == null) {
            return new Meaning("closed without a reason code", AccountState.DISCONNECTED);
        }
        return switch (code.intValue()) {
            case 200 -> new Meaning("ok", AccountState.CONNECTING);
            case 401 -> new Meaning("logged out on the phone: needs a new QR", AccountState.DISCONNECTED);
            case 403 -> new Meaning("forbidden: WhatsApp refused the account (banned or blocked)", AccountState.FAILED);
            case 402, 406 -> new Meaning("refused by WhatsApp (" + code + "): not reconnected", AccountState.FAILED);
            case 408 -> new Meaning("connection lost or timed out: the server reconnects", AccountState.CONNECTING);
            case 411 -> new Meaning("multi-device mismatch: the server reconnects", AccountState.CONNECTING);
            case 428 -> new Meaning("connection closed: the server reconnects", AccountState.CONNECTING);
            case 440 ->
                new Meaning(
                        "connection replaced: the account was opened on another session; the server reconnects",
                        AccountState.CONNECTING);
            case 500 -> new Meaning("bad session: the server reconnects", AccountState.CONNECTING);
            case 503 -> new Meaning("WhatsApp unavailable: the server reconnects", AccountState.CONNECTING);
            case 515 -> new Meaning("restart required: the server reconnects", AccountState.CONNECTING);
            default -> new Meaning("closed with code " + code + ": the server reconnects", AccountState.CONNECTING);
        };
    }
}
