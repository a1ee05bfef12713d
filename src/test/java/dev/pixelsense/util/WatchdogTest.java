package dev.pixelsense.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WatchdogTest {
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        timers.shutdownNow();
    }

    @Test
    void should_fire_at_a_shorter_deadline_set_after_a_long_first_one() throws Exception {
        CountDownLatch fired = new CountDownLatch(1);
        try (Watchdog w = new Watchdog(timers, Duration.ofMinutes(5), "first token", fired::countDown)) {
            w.reset(Duration.ofMillis(50), "next token");
            // long before the first deadline: the shorter one was scheduled on its own
            assertThat(fired.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(w.fired()).isTrue();
            assertThat(w.phase()).isEqualTo("next token");
        }
    }

    @Test
    void should_not_fire_while_resets_keep_moving_the_deadline_later() throws Exception {
        CountDownLatch fired = new CountDownLatch(1);
        try (Watchdog w = new Watchdog(timers, Duration.ofSeconds(2), "first token", fired::countDown)) {
            for (int i = 0; i < 10; i++) {
                w.reset(Duration.ofSeconds(2), "next token");
                Thread.sleep(50);
            }
            assertThat(w.fired()).isFalse();
        }
        assertThat(fired.getCount()).isEqualTo(1);
    }
}
