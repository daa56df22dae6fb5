package io.s3logger.adapter.fs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * An executor that holds compression tasks until the test runs them, in the order it chooses,
 * or runs them at once after {@link #runFromNowOn()}; it can also reject a number of tasks, like
 * a pool that was shut down. Thread-safe.
 */
final class HeldTasks implements Executor {

    private final List<Runnable> held = new ArrayList<>();
    private boolean runAtOnce;
    private int rejections;

    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            if (rejections > 0) {
                rejections--;
                throw new RejectedExecutionException("rejected by the test");
            }
            if (!runAtOnce) {
                held.add(task);
                return;
            }
        }
        task.run();
    }

    synchronized int count() {
        return held.size();
    }

    /** Runs the newest {@code count} held tasks, newest first, and forgets them. */
    void runNewestFirst(int count) {
        List<Runnable> newest;
        synchronized (this) {
            List<Runnable> tail = held.subList(held.size() - count, held.size());
            newest = new ArrayList<>(tail);
            tail.clear();
        }
        for (int i = newest.size() - 1; i >= 0; i--) {
            newest.get(i).run();
        }
    }

    /** Later tasks run on the submitting thread. */
    synchronized void runFromNowOn() {
        runAtOnce = true;
    }

    /** Rejects the next {@code count} tasks, then behaves as before. */
    synchronized void rejectNext(int count) {
        rejections = count;
    }
}
