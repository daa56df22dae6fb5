package io.s3logger.adapter.tcp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The heap that all connections together may hold beyond each one's idle read buffer: partial
 * objects, grown buffers, and batches waiting for the writer's queue. Each connection draws from
 * it through its {@link Account} before it allocates, so the sum never exceeds the capacity.
 *
 * <p>A connection that needs more than is left waits, unread, so TCP slows its client down. Waiters
 * are served in the order in which they first had to wait since they last completed an object: a
 * connection that needs more again in the middle of an object keeps its place, so memory goes to
 * finishing objects rather than to starting many at once (which could leave every connection
 * holding part of what it needs). Small needs (at most {@link #SMALL_ACCOUNT_BYTES} for a
 * connection that has completed an object, {@link #FIRST_BYTES} for any) have a reserve of a
 * quarter of the capacity that other needs cannot take, and do not queue behind them: a client of
 * small objects is not held up by clients of large ones.
 *
 * <p>When the first waiter has waited {@code maxWait} (since it first had to wait for its current
 * object), connections are chosen to be closed (their {@code onEvict} runs) until what they hold
 * covers its shortfall, in the order of {@link #victimOrder}: clients stalled in the middle of an
 * object first, clients of small objects last, and those of them that are being read never.
 * Connections handing objects to the writer are never chosen either: what they hold comes back
 * when the writer takes the objects, which are accepted.
 *
 * <p>Accounts change in steps ({@link #STEP_BYTES}, above 1 MiB {@link #LARGE_STEP_BYTES}), so a
 * connection takes the lock only when its needs cross a step, not per object.
 */
public final class ConnectionMemoryBudget {

    /**
     * 24 MiB: room for one object of {@link FramingLimits#DEFAULT}'s 4 MiB end to end (about 12.3
     * MiB: its buffer doubled to 8 MiB, then its batch) outside the small connections' reserve, and
     * then some.
     */
    public static final long MIN_CAPACITY_BYTES = 6L * FramingLimits.DEFAULT.maxObjectBytes();
    /** A connection that has completed an object and holds at most this much may use the reserve. */
    static final long SMALL_ACCOUNT_BYTES = 512 * 1024;
    /** Any connection may use the reserve for this much: small objects from a new client, with 2 KiB reads. */
    static final long FIRST_BYTES = 64 * 1024;
    static final long STEP_BYTES = 16 * 1024;
    static final long LARGE_STEP_BYTES = 256 * 1024;
    /** Waiters look at the clock at least this often (an injected clock does not signal). */
    private static final long RECHECK_NANOS = Duration.ofMillis(100).toNanos();

    private final long capacity;
    private final long reserve;
    private final long maxWaitNanos;
    /** A connection not read for this long (a fifth of the wait) is stalled; see {@link #victimOrder}. */
    private final long stalledAfterNanos;
    private final LongSupplier nanoTime;
    private final ReentrantLock lock = new ReentrantLock();
    private final Set<Account> holders = new HashSet<>();
    /** Waiters in the order of their tickets, first first. */
    private final List<Account> smallWaiters = new ArrayList<>();
    private final List<Account> largeWaiters = new ArrayList<>();
    private volatile long used;
    private volatile int waiters;

    /**
     * @param capacityBytes at least {@link #MIN_CAPACITY_BYTES}
     * @param maxWait how long a connection waits for memory before others are closed to free it
     * @param nanoTime a monotonic clock, {@link System#nanoTime()} but in tests
     */
    public ConnectionMemoryBudget(long capacityBytes, Duration maxWait, LongSupplier nanoTime) {
        if (capacityBytes < MIN_CAPACITY_BYTES) {
            throw new IllegalArgumentException("capacityBytes must be at least " + MIN_CAPACITY_BYTES + ": " + capacityBytes);
        }
        this.capacity = capacityBytes;
        this.reserve = capacityBytes / 4;
        this.maxWaitNanos = maxWait.toNanos();
        this.stalledAfterNanos = maxWaitNanos / 5;
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /**
     * The default capacity: a quarter of the maximum heap, less the ingest queue (which holds
     * batches once connections have handed them over), and at least {@link #MIN_CAPACITY_BYTES}.
     * The rest of the heap is for the queue, the writer and compressor, uploads, the connections'
     * own small buffers, and the garbage collector's headroom.
     */
    public static long defaultCapacityBytes(long maxHeapBytes, long queueBytes) {
        return Math.max(MIN_CAPACITY_BYTES, maxHeapBytes / 4 - queueBytes);
    }

    public long capacityBytes() {
        return capacity;
    }

    /** Bytes held by all accounts now. */
    public long usedBytes() {
        return used;
    }

    /** Connections waiting for memory now (not being read). */
    public int waitingConnections() {
        return waiters;
    }

    /** A new, empty account; {@code onEvict} closes its connection (it must not block). */
    public Account open(Runnable onEvict) {
        return new Account(Objects.requireNonNull(onEvict, "onEvict"));
    }

    /** {@code bytes} rounded up to the step at which accounts change. */
    static long stepped(long bytes) {
        long step = bytes > 1024 * 1024 ? LARGE_STEP_BYTES : STEP_BYTES;
        return (bytes + step - 1) / step * step;
    }

    /** One connection's share. Its methods are called by that connection's thread only. */
    public final class Account {

        private final Runnable onEvict;
        private final Condition turn = lock.newCondition();
        /** Guarded by lock; the owner may read it without. */
        private long held;
        /** When the connection last read a byte while holding memory, or began to hold it. */
        private volatile long activeAt;
        private volatile boolean handingOver;
        private volatile boolean evicted;
        private boolean cancelled;
        private long heldWhenEvicted;
        private long heldForWhenEvicted;
        /**
         * When it first had to wait since it last completed an object, its place among waiters;
         * written by the owner only, read by others while it waits (under lock).
         */
        private long ticket;
        private boolean hasTicket;
        /** Under lock: since when it waits, if it does; the server's wait is not the client's stall. */
        private long waitingSince;
        private boolean waiting;
        /** Written by the owner only. */
        private volatile boolean completedAny;

        private Account(Runnable onEvict) {
            this.onEvict = onEvict;
        }

        /** Bytes this account holds. */
        public long heldBytes() {
            return held;
        }

        /** True once this connection was chosen to be closed; it holds its memory until {@link #close()}. */
        public boolean evicted() {
            return evicted;
        }

        /** What the account held when it was chosen to be closed. */
        public long heldWhenEvicted() {
            return heldWhenEvicted;
        }

        /** How long it had held memory without a byte read when it was chosen. */
        public Duration heldForWhenEvicted() {
            return Duration.ofNanos(heldForWhenEvicted);
        }

        /**
         * Holds at least {@code bytes}, waiting while the budget is spent.
         *
         * @return false if the connection was chosen to be closed instead, or {@link #cancel}led
         *     (nothing was added)
         */
        public boolean ensure(long bytes) throws InterruptedException {
            if (bytes <= held) {
                return true;
            }
            long target = stepped(bytes);
            boolean small = small(target);
            List<Account> queue = small ? smallWaiters : largeWaiters;
            long limit = small ? capacity : capacity - reserve;
            List<Account> victims = new ArrayList<>();
            lock.lockInterruptibly();
            try {
                if (evicted || cancelled) {
                    return false;
                }
                if ((queue.isEmpty() || hasTicket && ticket - queue.getFirst().ticket < 0) && used + target - held <= limit) {
                    take(target);
                    return true;
                }
                long since = nanoTime.getAsLong();
                if (!hasTicket) {
                    ticket = since;
                    hasTicket = true;
                }
                int place = 0;
                while (place < queue.size() && queue.get(place).ticket - ticket <= 0) {
                    place++;
                }
                queue.add(place, this);
                waitingSince = since;
                waiting = true;
                waiters++;
                try {
                    while (true) {
                        if (evicted || cancelled) {
                            return false;
                        }
                        if (queue.getFirst() == this) {
                            long shortfall = used + target - held - limit;
                            if (shortfall <= 0) {
                                take(target);
                                return true;
                            }
                            long now = nanoTime.getAsLong();
                            if (now - ticket >= maxWaitNanos) { // counted since it first had to wait for this object
                                chooseVictims(shortfall - evictedHoldings(), now, this, victims);
                                if (!victims.isEmpty()) {
                                    lock.unlock();
                                    try {
                                        victims.forEach(victim -> victim.onEvict.run());
                                    } finally {
                                        victims.clear();
                                        lock.lock();
                                    }
                                    continue;
                                }
                            }
                        }
                        turn.awaitNanos(RECHECK_NANOS);
                    }
                } finally {
                    queue.remove(this);
                    waiting = false;
                    waiters--;
                    signalHeads();
                }
            } finally {
                lock.unlock();
            }
        }

        /**
         * Holds at least {@code bytes} if that is possible at once without taking the small
         * connections' reserve or going ahead of a waiting connection; for optional growth.
         */
        public boolean tryEnsure(long bytes) {
            if (bytes <= held) {
                return true;
            }
            long target = stepped(bytes);
            lock.lock();
            try {
                if (evicted || !smallWaiters.isEmpty() || !largeWaiters.isEmpty() || used + target - held > capacity - reserve) {
                    return false;
                }
                take(target);
                return true;
            } finally {
                lock.unlock();
            }
        }

        /**
         * Gives back what exceeds {@code bytes} if that is at least half of what it holds: needs
         * that vary from read to read do not take the lock each time.
         */
        public void releaseIfHalf(long bytes) {
            long target = stepped(Math.max(0, bytes));
            if (target <= held / 2) {
                setHeld(target);
            }
        }

        /** Gives back what exceeds {@code bytes}. */
        public void release(long bytes) {
            long target = stepped(Math.max(0, bytes));
            if (target < held) {
                setHeld(target);
            }
        }

        /** The connection is being closed (server shutdown): a waiting {@link #ensure} returns false. */
        public void cancel() {
            lock.lock();
            try {
                cancelled = true;
                turn.signal();
            } finally {
                lock.unlock();
            }
        }

        /** The connection read bytes: it is not stalled. */
        public void active() {
            if (held > 0) {
                activeAt = nanoTime.getAsLong();
            }
        }

        /** The connection handed over complete objects: it waits again behind those waiting now. */
        public void completedObjects() {
            hasTicket = false;
            completedAny = true;
        }

        /** While true, the connection waits for the writer: closing it would free nothing. */
        public void handingOver(boolean now) {
            if (held > 0 || handingOver) {
                handingOver = now;
            }
        }

        /** Gives everything back: the connection is over. */
        public void close() {
            setHeld(0);
        }

        private void setHeld(long target) {
            if (target == held) {
                return;
            }
            lock.lock();
            try {
                used -= held - target;
                held = target;
                if (target == 0) {
                    holders.remove(this);
                }
                signalHeads();
            } finally {
                lock.unlock();
            }
        }

        /** A client of small objects: it may use the reserve, and is closed last. */
        private boolean small(long bytes) {
            return bytes <= FIRST_BYTES || bytes <= SMALL_ACCOUNT_BYTES && completedAny;
        }

        /** Under lock: see {@link #victimOrder}. */
        private int victimRank(long now) {
            if (small(held)) {
                return 3;
            }
            if (waiting) {
                return 1;
            }
            return stalledFor(now) >= stalledAfterNanos ? 0 : 2;
        }

        /** Under lock: how long the client has sent nothing the server read, not counting waits for memory. */
        private long stalledFor(long now) {
            return (waiting ? waitingSince : now) - activeAt;
        }

        /** Under lock. */
        private void take(long target) {
            if (held == 0) {
                activeAt = nanoTime.getAsLong();
                holders.add(this);
            }
            used += target - held;
            held = target;
        }
    }

    /** Under lock: bytes that connections already chosen to be closed will give back. */
    private long evictedHoldings() {
        long sum = 0;
        for (Account account : holders) {
            if (account.evicted) {
                sum += account.held;
            }
        }
        return sum;
    }

    /**
     * Under lock: marks, in {@code victims}, the connections to close for {@code shortfall} bytes,
     * in the order of {@link #victimOrder}. Connections
     * handing objects to the writer are spared: closing them would free nothing until it takes them.
     */
    void chooseVictims(long shortfall, long now, Account asking, List<Account> victims) {
        if (shortfall <= 0) {
            return;
        }
        List<Account> candidates = new ArrayList<>();
        for (Account account : holders) {
            // A client of small objects that is being read is never closed: it holds little, and
            // memory held by connections handing over to the writer comes back without closing anyone.
            boolean servedSmall = account.small(account.held) && account.stalledFor(now) < stalledAfterNanos;
            if (!account.evicted && !account.handingOver && account != asking && !servedSmall) {
                candidates.add(account);
            }
        }
        candidates.sort(victimOrder(now));
        if (holders.contains(asking)) {
            candidates.add(asking);
        }
        long freed = 0;
        for (Account victim : candidates) {
            if (freed >= shortfall) {
                break;
            }
            victim.heldWhenEvicted = victim.held;
            victim.heldForWhenEvicted = victim.stalledFor(now);
            victim.evicted = true; // after the fields above, which its owner reads once it sees this
            victim.turn.signal();
            victims.add(victim);
            freed += victim.held;
        }
    }

    /**
     * The order in which connections are closed: first those whose clients have sent nothing
     * readable for a fifth of the wait (a second) or more, by bytes held times that time; then those
     * waiting for memory, by bytes held times the time since they first waited for their object;
     * then those being read; clients of small objects (which would free little) last. The
     * connection that asks comes after all others.
     */
    private Comparator<Account> victimOrder(long now) {
        return Comparator.comparingInt((Account account) -> account.victimRank(now))
                .thenComparing(Comparator.comparingDouble((Account account) -> (double) account.held
                        * (account.victimRank(now) == 1 ? now - account.ticket : account.stalledFor(now) + stalledAfterNanos))
                        .reversed());
    }

    /** Under lock: wakes the first waiter of each queue, which takes memory if it fits. */
    private void signalHeads() {
        if (!smallWaiters.isEmpty()) {
            smallWaiters.getFirst().turn.signal();
        }
        if (!largeWaiters.isEmpty()) {
            largeWaiters.getFirst().turn.signal();
        }
    }
}
