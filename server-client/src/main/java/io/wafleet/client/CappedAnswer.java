package io.wafleet.client;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.apache.hc.client5.http.async.methods.AbstractBinResponseConsumer;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpResponse;

/** Collects an answer (status, content type, body) up to a body limit, and gives up past it. */
final class CappedAnswer extends AbstractBinResponseConsumer<HttpCaller.Answer> {

    private final int limit;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private int status;
    private String contentType;

    CappedAnswer(int limit) {
        this.limit = limit;
    }

    @Override
    protected void start(HttpResponse response, ContentType type) {
        status = response.getCode();
        var header = response.getFirstHeader("Content-Type");
        contentType = header == null ? "" : header.getValue();
    }

    @Override
    protected int capacityIncrement() {
        return 64 * 1024;
    }

    @Override
    protected void data(ByteBuffer src, boolean endOfStream) {
        if (bytes.size() + src.remaining() > limit) {
            throw new Failures.BodyTooLarge(limit);
        }
        byte[] chunk = new byte[src.remaining()];
        src.get(chunk);
        bytes.writeBytes(chunk);
    }

    @Override
    protected HttpCaller.Answer buildResult() {
        return new HttpCaller.Answer(status, contentType, bytes.toByteArray());
    }

    @Override
    public void releaseResources() {
        // Nothing held beyond the buffer.
    }
}
