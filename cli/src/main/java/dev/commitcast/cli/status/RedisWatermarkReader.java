package dev.commitcast.cli.status;

import dev.commitcast.cli.platform.RedisSession;
import dev.commitcast.core.KeySpace;
import dev.commitcast.core.Watermark;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Reads the invalidator's watermark from Redis ({@link KeySpace#watermarkKey()}, {@link Watermark#parseWire}) and its
 * age. Keeps one connection across {@code --watch} refreshes and reconnects after a failure. Not thread-safe.
 */
final class RedisWatermarkReader implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final String uri;
    private final KeySpace keySpace;
    private final Clock clock;
    private RedisSession session;

    RedisWatermarkReader(String uri, KeySpace keySpace, Clock clock) {
        this.uri = uri;
        this.keySpace = keySpace;
        this.clock = clock;
    }

    /**
     * @return the watermark, with null fields when the key is absent
     * @throws IllegalStateException when Redis cannot be read or the value is not a watermark
     */
    StatusSnapshot.Watermark read() {
        String key = keySpace.watermarkKey();
        String wire;
        try {
            if (session == null) {
                session = RedisSession.connect(uri);
            }
            wire = session.async().get(key).toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + key, e);
        } catch (Exception e) {
            close();
            throw new IllegalStateException("redis " + uri + ": cannot read " + key + ": " + e.getMessage(), e);
        }
        if (wire == null) {
            return new StatusSnapshot.Watermark(key, null, null, null);
        }
        Watermark watermark;
        try {
            watermark = Watermark.parseWire(wire);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("redis key " + key + ": " + e.getMessage(), e);
        }
        double age = Duration.between(watermark.commitTime(), clock.instant()).toNanos() / 1e9;
        return new StatusSnapshot.Watermark(key, watermark.lsn(), watermark.commitTime().toString(), age);
    }

    @Override
    public void close() {
        if (session != null) {
            session.close();
            session = null;
        }
    }
}
