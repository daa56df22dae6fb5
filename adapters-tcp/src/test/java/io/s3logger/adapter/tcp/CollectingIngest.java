package io.s3logger.adapter.tcp;

import io.s3logger.domain.model.LineBatch;
import io.s3logger.domain.port.in.IngestUseCase;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** Fake ingest use case: keeps every batch; can be told to block until released, or to refuse. */
final class CollectingIngest implements IngestUseCase {

    private final List<LineBatch> batches = new ArrayList<>();
    private final CountDownLatch release;
    private final boolean refuse;
    private final CountDownLatch entered = new CountDownLatch(1);

    private CollectingIngest(CountDownLatch release, boolean refuse) {
        this.release = release;
        this.refuse = refuse;
    }

    static CollectingIngest accepting() {
        return new CollectingIngest(new CountDownLatch(0), false);
    }

    /** Blocks every ingest call until {@code release} opens, like a full writer queue. */
    static CollectingIngest blockingUntil(CountDownLatch release) {
        return new CollectingIngest(release, false);
    }

    /** Throws IllegalStateException like a shut-down use case. */
    static CollectingIngest shutDown() {
        return new CollectingIngest(new CountDownLatch(0), true);
    }

    @Override
    public void ingest(LineBatch batch) throws InterruptedException {
        entered.countDown();
        if (refuse) {
            throw new IllegalStateException("ingestion has shut down");
        }
        release.await();
        synchronized (batches) {
            batches.add(batch);
        }
    }

    boolean awaitEntered() throws InterruptedException {
        return entered.await(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** All stored lines, in hand-over order, without their '\n'. */
    List<String> lines() {
        List<String> lines = new ArrayList<>();
        synchronized (batches) {
            for (LineBatch batch : batches) {
                String text = new String(batch.bytes(), 0, batch.length(), StandardCharsets.UTF_8);
                if (!text.endsWith("\n")) {
                    throw new AssertionError("batch does not end at a line end: " + text);
                }
                for (String line : text.split("\n")) {
                    lines.add(line);
                }
            }
        }
        return lines;
    }

    int lineCountFromBatches() {
        synchronized (batches) {
            return batches.stream().mapToInt(LineBatch::lines).sum();
        }
    }
}
