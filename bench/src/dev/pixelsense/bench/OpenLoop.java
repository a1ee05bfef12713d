package dev.pixelsense.bench;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop load generator. Request {@code i} is due at {@code start + i / rate} whatever
 * happened to the earlier ones, and each is sent from its own virtual thread, so a slow answer
 * never delays the next send. Latency is measured from the <em>scheduled</em> time, not from when
 * the request actually left: if the generator or the system falls behind, that delay is counted
 * rather than hidden (no coordinated omission). Requests due during the warm-up are sent but not
 * counted. When a target cannot keep up, at most one second's worth of requests ({@code rate}) is
 * kept outstanding and the rest are counted as errors without being sent: an overloaded target
 * would otherwise pile up unbounded memory and a drain longer than the run itself.
 */
final class OpenLoop {

    /** One request; returns the {@link System#nanoTime()} at which the measured event happened. */
    interface Call {
        long run() throws Exception;
    }

    /** A request that got an answer, but the wrong one (status, or a broken stream). */
    static final class Failure extends Exception {
        Failure(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * @param errors failures in the measured window, by kind (e.g. {@code status 503})
     * @param maxInFlight the most requests outstanding at once, a sign of queueing
     * @param maxSendLag how late the generator launched a request at worst; large values mean the
     *                   generator itself could not keep the schedule
     */
    record Result(int rate, int scheduled, LatencyStats latency, Map<String, Long> errors, int maxInFlight,
                  long maxSendLag) {
        long errorCount() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private OpenLoop() {
    }

    static Result run(Call call, int rate, Duration warmup, Duration measured, Duration drainTimeout)
            throws InterruptedException {
        int warmCount = (int) (rate * warmup.toNanos() / 1_000_000_000L);
        int total = warmCount + (int) (rate * measured.toNanos() / 1_000_000_000L);
        double interval = 1e9 / rate;
        long[] latencies = new long[total - warmCount];
        AtomicInteger recorded = new AtomicInteger();
        Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        AtomicLong maxLag = new AtomicLong();
        CountDownLatch done = new CountDownLatch(total);
        long start = System.nanoTime() + 1_000_000;
        for (int i = 0; i < total; i++) {
            long due = start + (long) (i * interval);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            boolean counted = i >= warmCount;
            maxLag.accumulateAndGet(System.nanoTime() - due, Math::max);
            if (inFlight.get() >= rate) {
                if (counted) {
                    errors.computeIfAbsent("not sent: " + rate + " requests already outstanding (overloaded)",
                            k -> new LongAdder()).increment();
                }
                done.countDown();
                continue;
            }
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            Thread.ofVirtual().start(() -> {
                try {
                    long at = call.run();
                    if (counted) {
                        latencies[recorded.getAndIncrement()] = at - due;
                    }
                } catch (Exception e) {
                    if (counted) {
                        errors.computeIfAbsent(kind(e), k -> new LongAdder()).increment();
                    }
                } finally {
                    inFlight.decrementAndGet();
                    done.countDown();
                }
            });
        }
        if (!done.await(drainTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
            errors.computeIfAbsent("unanswered after the run", k -> new LongAdder()).add(done.getCount());
        }
        Map<String, Long> errorCounts = new java.util.TreeMap<>();
        errors.forEach((k, v) -> errorCounts.put(k, v.sum()));
        // Only finished requests wrote a slot; late finishers after the drain timeout are not counted.
        int count = Math.min(recorded.get(), latencies.length);
        return new Result(rate, total - warmCount, LatencyStats.of(latencies, count), errorCounts,
                maxInFlight.get(), maxLag.get());
    }

    /**
     * Closed-loop warm-up: {@code workers} virtual threads each send the calls in turn, the next as
     * soon as the last answered, until {@code duration} is over. Unlike the open loop it cannot
     * overload a target that is still being JIT-compiled, and it gives the compiler as many
     * iterations of every path as the machine allows. Returns how many calls failed.
     */
    static long warmUp(java.util.List<Call> calls, Duration duration, int workers) throws InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        LongAdder failures = new LongAdder();
        java.util.List<Thread> threads = new java.util.ArrayList<>();
        for (int w = 0; w < workers; w++) {
            int offset = w;
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = offset; System.nanoTime() < end; i++) {
                    try {
                        calls.get(i % calls.size()).run();
                    } catch (Exception e) {
                        failures.increment();
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        return failures.sum();
    }

    private static String kind(Exception e) {
        if (e instanceof Failure f) {
            return f.getMessage();
        }
        String message = e.getMessage() == null ? "" : ": " + e.getMessage();
        return e.getClass().getSimpleName() + (message.length() > 80 ? message.substring(0, 80) + "..." : message);
    }
}
