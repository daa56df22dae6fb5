package io.s3logger.adapter.fs;

import io.s3logger.domain.port.out.SegmentSpoolContract.Step;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The real file system, made to fail at one step of a segment's life until healed: writes
 * (after a few bytes, leaving a torn member), forcing a file, the rename, forcing the directory.
 */
final class FaultySpoolFileSystem implements SpoolFileSystem {

    /** Bytes a broken write still lets through: the failure leaves a torn member behind. */
    private static final int TORN_BYTES = 7;

    private final List<FlakyFileChannel> channels = new CopyOnWriteArrayList<>();
    private volatile Step broken;

    void breakAt(Step step) {
        broken = step;
        channels.forEach(this::apply);
    }

    void heal() {
        broken = null;
        channels.forEach(FlakyFileChannel::heal);
    }

    @Override
    public FileChannel createFile(Path file) throws IOException {
        FlakyFileChannel channel = new FlakyFileChannel(REAL.createFile(file));
        channels.add(channel);
        apply(channel);
        return channel;
    }

    @Override
    public void moveAtomically(Path from, Path to) throws IOException {
        if (broken == Step.RENAME) {
            throw new IOException("Read-only file system (injected): " + from + " -> " + to);
        }
        REAL.moveAtomically(from, to);
    }

    @Override
    public void forceDirectory(Path dir) throws IOException {
        if (broken == Step.DIRECTORY_FSYNC) {
            throw new IOException("Input/output error (injected) forcing " + dir);
        }
        REAL.forceDirectory(dir);
    }

    private void apply(FlakyFileChannel channel) {
        Step step = broken;
        if (step == null) {
            return;
        }
        switch (step) {
            case APPEND, FLUSH, TRAILER -> channel.failWritesAfter(TORN_BYTES);
            case FSYNC -> channel.failForce();
            case RENAME, DIRECTORY_FSYNC -> { }
        }
    }
}
