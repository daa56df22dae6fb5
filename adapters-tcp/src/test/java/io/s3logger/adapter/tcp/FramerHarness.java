package io.s3logger.adapter.tcp;

import io.s3logger.domain.model.LineBatch;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Drives a {@link JsonObjectFramer} the way a connection does and collects what it produces. */
final class FramerHarness {

    final JsonObjectFramer framer;
    final ByteArrayOutputStream lines = new ByteArrayOutputStream();
    int lineCount;

    /** With the protocol's limits. */
    FramerHarness() {
        this(FramingLimits.DEFAULT);
    }

    FramerHarness(FramingLimits limits) {
        framer = new JsonObjectFramer(limits);
    }

    /** Feeds {@code input} in pieces of at most {@code chunk} bytes, taking a batch after each. */
    FramerHarness feed(byte[] input, int chunk) throws FramingException {
        for (int off = 0; off < input.length; off += chunk) {
            int len = Math.min(chunk, input.length - off);
            try {
                framer.feed(input, off, len);
            } finally {
                take();
            }
        }
        return this;
    }

    FramerHarness feed(String input) throws FramingException {
        byte[] bytes = utf8(input);
        return feed(bytes, Math.max(1, bytes.length));
    }

    void take() {
        if (framer.hasLines()) {
            LineBatch batch = framer.takeBatch();
            lines.write(batch.bytes(), 0, batch.length());
            lineCount += batch.lines();
        }
    }

    String output() {
        return lines.toString(StandardCharsets.UTF_8);
    }

    byte[] outputBytes() {
        return lines.toByteArray();
    }

    List<String> lines() {
        List<String> result = new ArrayList<>();
        for (String line : output().split("\n", -1)) {
            result.add(line);
        }
        result.remove(result.size() - 1);
        return result;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
