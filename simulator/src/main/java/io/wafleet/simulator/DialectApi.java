package io.wafleet.simulator;

/** One WhatsApp server HTTP API, answering requests from a server's state. */
interface DialectApi {

    /** The header that carries the API key in this dialect. */
    String apiKeyHeader();

    /** The answer to a request that passed authentication and fault injection. */
    Reply handle(Request request);
}
