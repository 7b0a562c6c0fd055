package dev.commitcast.invalidator.consume;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesUpToTheCap() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
        assertEquals(Duration.ofMillis(100), backoff.delay(1));
        assertEquals(Duration.ofMillis(200), backoff.delay(2));
        assertEquals(Duration.ofMillis(800), backoff.delay(4));
        assertEquals(Duration.ofSeconds(1), backoff.delay(5));
        assertEquals(Duration.ofSeconds(1), backoff.delay(Integer.MAX_VALUE));
    }
}
