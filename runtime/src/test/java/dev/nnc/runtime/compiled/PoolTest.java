package dev.nnc.runtime.compiled;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** Every task runs once, on a thread of the call's, through the crew and around it; failures come back to the caller. */
class PoolTest {
    @Test
    void runsEveryTaskOnceOverManyCalls() {
        for (int call = 0; call < 2_000; call++) { // many hand-offs in a row, some to parked helpers
            int threads = 1 + call % 4, count = call % 7;
            var ran = new AtomicIntegerArray(count);
            var threadOf = new AtomicIntegerArray(count);
            Pool.run(threads, count, (thread, i) -> {
                ran.incrementAndGet(i);
                threadOf.set(i, thread);
            });
            for (int i = 0; i < count; i++) {
                assertEquals(1, ran.get(i), "task " + i + " of call " + call);
                assertTrue(threadOf.get(i) < threads, "thread " + threadOf.get(i) + " of " + threads);
            }
            if (call % 500 == 0) sleep(5); // long enough for the helpers to park
        }
    }

    @Test
    void rangesCoverEveryElementOnceInOrderedPieces() {
        for (int length : new int[] {0, 1, 7, Pool.RANGE - 1, Pool.RANGE, Pool.RANGE + 1, 3 * Pool.RANGE + 5}) {
            var seen = new AtomicIntegerArray(length);
            var pieces = new java.util.concurrent.atomic.AtomicInteger();
            Pool.ranges(length, (from, to) -> {
                assertTrue(0 <= from && from <= to && to <= length, from + " … " + to + " of " + length);
                pieces.incrementAndGet();
                for (int k = from; k < to; k++) seen.incrementAndGet(k);
            });
            for (int k = 0; k < length; k++) assertEquals(1, seen.get(k), "element " + k + " of " + length);
            if (length < Pool.RANGE) assertEquals(1, pieces.get(), "a short pass is one piece");
        }
    }

    @Test
    void aCallInsideACallRunsElsewhere() {
        var ran = new AtomicIntegerArray(4 * 3);
        Pool.run(2, 4, (thread, i) -> Pool.run(2, 3, (inner, j) -> ran.incrementAndGet(i * 3 + j)));
        for (int k = 0; k < ran.length(); k++) assertEquals(1, ran.get(k), "task " + k);
    }

    @Test
    void callsFromTwoThreadsAtOnceBothFinish() throws InterruptedException {
        var start = new CountDownLatch(1);
        var ran = new AtomicIntegerArray(2);
        Runnable caller = () -> {
            try {
                start.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            for (int call = 0; call < 500; call++) Pool.run(2, 2, (thread, i) -> ran.incrementAndGet(i));
        };
        Thread a = new Thread(caller), b = new Thread(caller);
        a.start();
        b.start();
        start.countDown();
        a.join();
        b.join();
        assertEquals(1000, ran.get(0));
        assertEquals(1000, ran.get(1));
    }

    @Test
    void aFailureOnAnyThreadReachesTheCaller() {
        var boom = new IllegalArgumentException("boom");
        for (int failing = 0; failing < 4; failing++) {
            int f = failing;
            var thrown = assertThrows(IllegalArgumentException.class, () -> Pool.run(2, 4, (thread, i) -> {
                if (i == f) throw boom;
            }));
            assertSame(boom, thrown);
        }
        var error = assertThrows(AssertionError.class, () -> Pool.run(2, 2, (thread, i) -> {
            throw new AssertionError("bad");
        }));
        assertEquals("bad", error.getMessage());
        var ran = new AtomicIntegerArray(2); // and the crew still works
        Pool.run(2, 2, (thread, i) -> ran.incrementAndGet(i));
        assertEquals(1, ran.get(0));
        assertEquals(1, ran.get(1));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
