package io.s3logger.adapter.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.s3logger.adapter.tcp.ConnectionMemoryBudget.Account;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The budget's arithmetic, waiting, reserve and choice of connections to close, on an injected clock. */
class ConnectionMemoryBudgetTest {

    private static final long MIB = 1024 * 1024;
    private static final long CAPACITY = 32 * MIB; // large needs may take 24 MiB, the rest is the reserve
    private static final Duration MAX_WAIT = Duration.ofSeconds(5);
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final ConnectionMemoryBudget budget = new ConnectionMemoryBudget(CAPACITY, MAX_WAIT, nanos::get);
    private final AtomicInteger waiters = new AtomicInteger();

    @AfterEach
    void nothingLeftWaiting() {
        assertThat(budget.waitingConnections()).isZero();
    }

    @Test
    void accountsTakeAndGiveBackInStepsAndTheBudgetReturnsToZero() throws Exception {
        Account small = budget.open(() -> {});
        Account large = budget.open(() -> {});
        assertThat(small.ensure(1)).isTrue();
        assertThat(small.heldBytes()).isEqualTo(ConnectionMemoryBudget.STEP_BYTES);
        assertThat(small.ensure(ConnectionMemoryBudget.STEP_BYTES)).isTrue(); // within what it holds: no change
        assertThat(large.ensure(3 * MIB + 1)).isTrue();
        assertThat(large.heldBytes()).isEqualTo(3 * MIB + ConnectionMemoryBudget.LARGE_STEP_BYTES);
        assertThat(budget.usedBytes()).isEqualTo(small.heldBytes() + large.heldBytes());

        large.releaseIfHalf(2 * MIB); // more than half of what it holds: kept, no lock per read
        assertThat(large.heldBytes()).isEqualTo(3 * MIB + ConnectionMemoryBudget.LARGE_STEP_BYTES);
        large.releaseIfHalf(MIB);
        assertThat(large.heldBytes()).isEqualTo(MIB);
        large.release(100);
        assertThat(large.heldBytes()).isEqualTo(ConnectionMemoryBudget.STEP_BYTES);

        small.close();
        large.close();
        assertThat(budget.usedBytes()).isZero();
    }

    @Test
    void optionalGrowthNeitherTakesTheReserveNorGoesAheadOfAWaiter() throws Exception {
        Account first = budget.open(() -> {});
        assertThat(first.tryEnsure(20 * MIB)).isTrue();
        Account second = budget.open(() -> {});
        assertThat(second.tryEnsure(5 * MIB)).as("would take the reserve").isFalse();
        assertThat(second.tryEnsure(4 * MIB)).isTrue();

        Account waiter = budget.open(() -> {});
        CompletableFuture<Boolean> waiting = ensureInBackground(waiter, 6 * MIB);
        await().atMost(PATIENCE).until(() -> budget.waitingConnections() == 1);
        second.close(); // 4 MiB free: not enough for the waiter, enough for a newcomer
        assertThat(budget.open(() -> {}).tryEnsure(ConnectionMemoryBudget.STEP_BYTES)).as("the waiter is first").isFalse();
        first.release(16 * MIB);
        assertThat(waiting.get()).isTrue();
        assertThat(waiter.heldBytes()).isEqualTo(6 * MIB);
        first.close();
        waiter.close();
        assertThat(budget.usedBytes()).isZero();
    }

    @Test
    void smallNeedsOfClientsThatCompleteObjectsUseTheReserveAndDoNotQueueBehindOthers() throws Exception {
        Account hog = budget.open(() -> {});
        assertThat(hog.ensure(24 * MIB)).isTrue(); // all that large needs may take
        Account large = budget.open(() -> {});
        CompletableFuture<Boolean> largeWaiting = ensureInBackground(large, MIB);
        await().atMost(PATIENCE).until(() -> budget.waitingConnections() == 1);

        Account newcomer = budget.open(() -> {});
        Account newSmall = budget.open(() -> {});
        assertThat(newSmall.ensure(ConnectionMemoryBudget.FIRST_BYTES)).as("any connection's first 64 KiB").isTrue();
        newSmall.close();
        CompletableFuture<Boolean> newcomerWaiting = ensureInBackground(newcomer, 2 * ConnectionMemoryBudget.FIRST_BYTES);
        await().atMost(PATIENCE).until(() -> budget.waitingConnections() == 2); // more, and no object completed yet: no reserve
        for (int i = 0; i < 10; i++) {
            Account small = budget.open(() -> {});
            small.completedObjects();
            assertThat(small.ensure(ConnectionMemoryBudget.SMALL_ACCOUNT_BYTES)).isTrue(); // at once, from the reserve
            small.close();
        }
        assertThat(largeWaiting).isNotDone();
        assertThat(newcomerWaiting).isNotDone();
        newcomer.cancel();
        assertThat(newcomerWaiting.get()).isFalse();
        hog.close();
        assertThat(largeWaiting.get()).isTrue();
        large.close();
    }

    @Test
    void aWaiterIsServedWhenMemoryComesBackWithoutClosingAnyone() throws Exception {
        AtomicInteger evictions = new AtomicInteger();
        Account holder = budget.open(evictions::incrementAndGet);
        assertThat(holder.ensure(20 * MIB)).isTrue();
        Account waiter = budget.open(evictions::incrementAndGet);
        CompletableFuture<Boolean> waiting = ensureInBackground(waiter, 8 * MIB);
        await().atMost(PATIENCE).until(() -> budget.waitingConnections() == 1);
        nanos.addAndGet(MAX_WAIT.toNanos() - 1);
        holder.releaseIfHalf(4 * MIB);
        assertThat(waiting.get()).isTrue();
        assertThat(evictions).hasValue(0);
        holder.close();
        waiter.close();
    }

    @Test
    void pastTheWaitTheConnectionsHoldingTheMostForTheLongestAreClosed() throws Exception {
        AtomicInteger closedStalled = new AtomicInteger();
        AtomicInteger closedOthers = new AtomicInteger();
        Account stalledBig = budget.open(closedStalled::incrementAndGet); // 8 MiB for 60 s
        Account recentBig = budget.open(closedOthers::incrementAndGet); // 8 MiB for 1 s
        Account handingOver = budget.open(closedOthers::incrementAndGet); // oldest, but waiting for the writer
        Account progressing = budget.open(closedOthers::incrementAndGet); // reads bytes all the time
        assertThat(handingOver.ensure(4 * MIB)).isTrue();
        handingOver.handingOver(true);
        assertThat(stalledBig.ensure(8 * MIB)).isTrue();
        assertThat(progressing.ensure(4 * MIB)).isTrue();
        nanos.addAndGet(Duration.ofSeconds(59).toNanos());
        assertThat(recentBig.ensure(8 * MIB)).isTrue();
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        progressing.active();

        Account waiter = budget.open(closedOthers::incrementAndGet);
        CompletableFuture<Boolean> waiting = ensureInBackground(waiter, 4 * MIB);
        await().atMost(PATIENCE).until(() -> budget.waitingConnections() == 1);
        nanos.addAndGet(MAX_WAIT.toNanos() - 1);
        assertThat(stalledBig.evicted()).isFalse(); // not yet past the wait
        nanos.addAndGet(1);
        await().atMost(PATIENCE).until(() -> closedStalled.get() == 1);
        assertThat(stalledBig.evicted()).isTrue();
        assertThat(stalledBig.heldWhenEvicted()).isEqualTo(8 * MIB);
        assertThat(stalledBig.heldForWhenEvicted()).isEqualTo(Duration.ofSeconds(65));
        assertThat(stalledBig.ensure(9 * MIB)).as("a closed connection gets no more").isFalse();
        assertThat(waiting).isNotDone(); // until the closed connection gives its memory back

        stalledBig.close();
        assertThat(waiting.get()).isTrue();
        assertThat(closedOthers).hasValue(0);
        for (Account account : new Account[] {recentBig, handingOver, progressing, waiter}) {
            account.close();
        }
        assertThat(budget.usedBytes()).isZero();
    }

    @Test
    void theTimeAConnectionWaitsForMemoryDoesNotCountAsItsClientsStall() throws Exception {
        Account holder = budget.open(() -> {});
        assertThat(holder.ensure(12 * MIB)).isTrue();
        Account waiter = budget.open(() -> {});
        assertThat(waiter.ensure(12 * MIB)).isTrue();
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        holder.active(); // its client's last bytes were read after the waiter's
        CompletableFuture<Boolean> waiting = ensureInBackground(waiter, 16 * MIB);
        await().atMost(PATIENCE).until(() -> budget.waitingConnections() == 1);
        nanos.addAndGet(MAX_WAIT.toNanos()); // waiter: 1 s before it waited; holder: 5 s
        await().atMost(PATIENCE).until(holder::evicted);
        assertThat(holder.heldForWhenEvicted()).isEqualTo(MAX_WAIT);
        holder.close();
        assertThat(waiting.get()).isTrue();
        assertThat(waiter.evicted()).isFalse();
        waiter.close();
        assertThat(budget.usedBytes()).isZero();
    }

    @Test
    void whenOnlyWaitersHoldMemoryTheFirstInLineClosesAnother() throws Exception {
        Account first = budget.open(() -> {});
        Account last = budget.open(() -> {});
        assertThat(first.ensure(12 * MIB)).isTrue();
        assertThat(last.ensure(12 * MIB)).isTrue();
        CompletableFuture<Boolean> firstWaiting = ensureInBackground(first, 13 * MIB);
        await().atMost(PATIENCE).until(() -> budget.waitingConnections() == 1);
        nanos.addAndGet(1);
        CompletableFuture<Boolean> lastWaiting = ensureInBackground(last, 13 * MIB);
        await().atMost(PATIENCE).until(() -> budget.waitingConnections() == 2);
        nanos.addAndGet(MAX_WAIT.toNanos());
        assertThat(lastWaiting.get()).isFalse();
        assertThat(last.evicted()).isTrue();
        last.close();
        assertThat(firstWaiting.get()).isTrue();
        first.close();
        assertThat(budget.usedBytes()).isZero();
    }

    @Test
    void manyConnectionsEachHoldingPartOfWhatTheyNeedAreUnblockedByClosingSome() throws Exception {
        java.util.List<Account> accounts = new java.util.ArrayList<>();
        java.util.List<CompletableFuture<Boolean>> waits = new java.util.ArrayList<>();
        for (int i = 0; i < 48; i++) {
            Account account = budget.open(() -> {});
            accounts.add(account);
            assertThat(account.ensure(MIB / 2)).isTrue(); // 24 MiB: all that large needs may take
        }
        for (Account account : accounts) {
            waits.add(ensureInBackground(account, MIB));
            await().atMost(PATIENCE).until(() -> budget.waitingConnections() == waits.size()); // in this order
            nanos.addAndGet(1);
        }
        nanos.addAndGet(MAX_WAIT.toNanos());
        await().atMost(PATIENCE).until(() -> waits.stream().anyMatch(CompletableFuture::isDone));
        for (int i = 0; i < accounts.size(); i++) {
            if (waits.get(i).isDone() && !waits.get(i).get()) {
                accounts.get(i).close();
            }
        }
        await().atMost(PATIENCE).until(() -> waits.getFirst().isDone());
        assertThat(waits.getFirst().get()).as("the first in line got its memory").isTrue();
        accounts.forEach(Account::cancel);
        for (CompletableFuture<Boolean> wait : waits) {
            wait.get();
        }
        accounts.forEach(Account::close);
        assertThat(budget.usedBytes()).isZero();
    }

    @Test
    void aClientOfSmallObjectsThatIsBeingReadIsNeverClosed() throws Exception {
        Account small = budget.open(() -> {});
        small.completedObjects();
        assertThat(small.ensure(ConnectionMemoryBudget.SMALL_ACCOUNT_BYTES)).isTrue();
        Account handingOver = budget.open(() -> {});
        assertThat(handingOver.ensure(23 * MIB)).isTrue();
        handingOver.handingOver(true);
        Account waiter = budget.open(() -> {});
        CompletableFuture<Boolean> waiting = ensureInBackground(waiter, 2 * MIB);
        await().atMost(PATIENCE).until(() -> budget.waitingConnections() == 1);
        for (int i = 0; i < 12; i++) { // past the wait, the small client read every half second (a stall is 1 s)
            nanos.addAndGet(MAX_WAIT.toNanos() / 10);
            small.active();
        }
        assertThat(waiting).isNotDone(); // waits for the writer rather than closing the small client
        assertThat(small.evicted()).isFalse();
        handingOver.handingOver(false);
        handingOver.close();
        assertThat(waiting.get()).isTrue();
        nanos.addAndGet(MAX_WAIT.toNanos()); // now stalled: a candidate again
        small.close();
        waiter.close();
    }

    @Test
    void cancelEndsAWait() throws Exception {
        Account hog = budget.open(() -> {});
        assertThat(hog.ensure(24 * MIB)).isTrue();
        Account waiter = budget.open(() -> {});
        CompletableFuture<Boolean> waiting = ensureInBackground(waiter, MIB);
        await().atMost(PATIENCE).until(() -> budget.waitingConnections() == 1);
        waiter.cancel();
        assertThat(waiting.get()).isFalse();
        assertThat(waiter.evicted()).isFalse();
        hog.close();
    }

    @Test
    void theDefaultIsAQuarterOfTheHeapLessTheQueueAndAtLeastTheMinimum() {
        assertThat(ConnectionMemoryBudget.defaultCapacityBytes(256 * MIB, 16 * MIB)).isEqualTo(48 * MIB);
        assertThat(ConnectionMemoryBudget.defaultCapacityBytes(4096 * MIB, 64 * MIB)).isEqualTo(960 * MIB);
        assertThat(ConnectionMemoryBudget.defaultCapacityBytes(64 * MIB, 16 * MIB)).isEqualTo(ConnectionMemoryBudget.MIN_CAPACITY_BYTES);
        assertThatThrownBy(() -> new ConnectionMemoryBudget(ConnectionMemoryBudget.MIN_CAPACITY_BYTES - 1, MAX_WAIT, System::nanoTime))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private CompletableFuture<Boolean> ensureInBackground(Account account, long bytes) {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        Thread.ofVirtual().name("waiter " + waiters.incrementAndGet()).start(() -> {
            try {
                result.complete(account.ensure(bytes));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }
}
