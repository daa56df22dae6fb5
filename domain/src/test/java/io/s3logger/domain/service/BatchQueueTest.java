package io.s3logger.domain.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.s3logger.domain.model.LineBatch;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class BatchQueueTest {

    private static LineBatch batchOf(int bytes) {
        return new LineBatch(new byte[bytes], bytes, 1);
    }

    @Test
    void producerBlocksWhileTheByteBoundIsReachedAndResumesWhenDrained() throws Exception {
        BatchQueue queue = new BatchQueue(100);
        queue.put(batchOf(60));
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> {
                try {
                    queue.put(batchOf(60));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, executor);

            await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5)).until(() -> !blocked.isDone());
            assertThat(queue.queuedBytes()).isEqualTo(60);

            assertThat(queue.poll(Duration.ZERO).length()).isEqualTo(60);
            blocked.get();
            assertThat(queue.queuedBytes()).isEqualTo(60);
        }
    }

    @Test
    void aBatchLargerThanTheBoundIsTakenWhenTheQueueIsEmpty() throws Exception {
        BatchQueue queue = new BatchQueue(10);

        queue.put(batchOf(1000));

        assertThat(queue.poll(Duration.ZERO).length()).isEqualTo(1000);
    }

    @Test
    void closeRefusesNewBatchesButKeepsQueuedOnes() throws Exception {
        BatchQueue queue = new BatchQueue(100);
        queue.put(batchOf(5));
        queue.close();

        assertThatThrownBy(() -> queue.put(batchOf(5))).isInstanceOf(IllegalStateException.class);
        assertThat(queue.isClosedAndEmpty()).isFalse();
        assertThat(queue.poll(Duration.ofDays(1))).isNotNull();
        assertThat(queue.poll(Duration.ofDays(1))).isNull();
        assertThat(queue.isClosedAndEmpty()).isTrue();
    }

    @Test
    void pollTimesOutWithNull() throws Exception {
        assertThat(new BatchQueue(10).poll(Duration.ofMillis(1))).isNull();
    }
}
