package io.s3logger.adapter.fs;

import java.time.Duration;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compresses {@link Block}s into gzip members on an executor, so several cores deflate
 * consecutive blocks of a segment at the same time; the segment writes the members in order.
 * Shared by every segment of a spool and safe to use from several threads.
 *
 * <p>Reuse: a {@link GzipMemberEncoder} (with its native deflater) is borrowed per task from an
 * idle pool, so there are at most as many as tasks run at once; blocks come from and return to
 * a bounded free list. A compression that throws, or an executor that rejects the task (it was
 * shut down), completes the block's future exceptionally: the segment reports it as an
 * IOException and submits the block again on its next call.
 */
final class BlockCompressor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BlockCompressor.class);
    /** Input bytes per block and member: large enough that resetting the dictionary costs nothing, small enough for memory. */
    static final int BLOCK_BYTES = 1024 * 1024;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

    private final DeflateEngine engine;
    private final int level;
    private final Executor executor;
    private final int maxBlocksInFlight;
    private final int blockBytes;
    private final Queue<GzipMemberEncoder> idleEncoders = new ConcurrentLinkedQueue<>();
    private final Queue<Block> freeBlocks;

    /**
     * @param executor runs the compression tasks; if it is an {@link ExecutorService}, {@link
     *     #close()} shuts it down
     * @param maxBlocksInFlight how many blocks a segment may have submitted but not yet written;
     *     the writer waits beyond that (back-pressure, bounded memory)
     * @param blockBytes input bytes per block
     */
    BlockCompressor(DeflateEngine engine, int level, Executor executor, int maxBlocksInFlight, int blockBytes) {
        if (level < 0 || level > 9) {
            throw new IllegalArgumentException("compression level must be 0..9: " + level);
        }
        if (maxBlocksInFlight < 1 || blockBytes < 1) {
            throw new IllegalArgumentException("maxBlocksInFlight and blockBytes must be positive");
        }
        this.engine = Objects.requireNonNull(engine, "engine");
        this.level = level;
        this.executor = Objects.requireNonNull(executor, "executor");
        this.maxBlocksInFlight = maxBlocksInFlight;
        this.blockBytes = blockBytes;
        this.freeBlocks = new ArrayBlockingQueue<>(maxBlocksInFlight + 1);
    }

    /**
     * A compressor with its own pool of {@code threads} daemon threads and two blocks in flight
     * per thread, so every thread has the next block queued while the writer writes.
     *
     * @param threadName name of the threads, followed by their number
     */
    static BlockCompressor withThreads(DeflateEngine engine, int level, int threads, String threadName) {
        if (threads < 1) {
            throw new IllegalArgumentException("compression threads must be positive: " + threads);
        }
        AtomicInteger number = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, task -> Thread.ofPlatform()
                .name(threadName + number.incrementAndGet())
                .daemon(true)
                .unstarted(task));
        return new BlockCompressor(engine, level, pool, 2 * threads, BLOCK_BYTES);
    }

    int blockBytes() {
        return blockBytes;
    }

    int maxBlocksInFlight() {
        return maxBlocksInFlight;
    }

    /** An empty block, recycled if one is free. */
    Block newBlock() {
        Block block = freeBlocks.poll();
        return block != null ? block : new Block(blockBytes);
    }

    /** Gives a written block back for reuse. */
    void recycle(Block block) {
        block.clear();
        freeBlocks.offer(block); // beyond the bound, the block is left to the garbage collector
    }

    /** Starts compressing {@code block}; never throws, failures complete the block's future. */
    void submit(Block block) {
        CompletableFuture<Void> done = block.startCompression();
        try {
            executor.execute(() -> compress(block, done));
        } catch (RejectedExecutionException e) {
            done.completeExceptionally(e);
        }
    }

    private void compress(Block block, CompletableFuture<Void> done) {
        GzipMemberEncoder encoder = idleEncoders.poll();
        if (encoder == null) {
            encoder = engine.newEncoder(level);
        }
        try {
            block.compress(encoder);
        } catch (RuntimeException | Error e) {
            encoder.end(); // its state is unknown now
            done.completeExceptionally(e);
            return;
        }
        idleEncoders.offer(encoder);
        done.complete(null);
    }

    /**
     * Shuts an owned executor down, letting submitted blocks finish (waiting up to 30 s), and
     * frees the idle deflaters. Blocks submitted afterwards fail. Closing twice does nothing.
     */
    @Override
    public void close() {
        if (executor instanceof ExecutorService service && !service.isShutdown()) {
            service.shutdown();
            try {
                if (!service.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("Compression threads still busy {} after close; leaving them", CLOSE_WAIT);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (GzipMemberEncoder encoder = idleEncoders.poll(); encoder != null; encoder = idleEncoders.poll()) {
            encoder.end();
        }
    }
}
