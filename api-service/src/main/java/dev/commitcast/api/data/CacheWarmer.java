package dev.commitcast.api.data;

import dev.commitcast.api.broadcast.EvictionListener;
import dev.commitcast.api.cache.Lookup;
import dev.commitcast.api.cache.TieredCache;
import dev.commitcast.api.config.CommitcastConfig;
import dev.commitcast.api.config.InvalidConfigurationException;
import dev.commitcast.core.CacheKey;
import dev.commitcast.api.http.DemoKinds;
import dev.commitcast.core.Rules;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Loads {@code commitcast.cache.warm.*} into the caches after start, through the normal read path (so fills are
 * fenced and counted): settings, roles and the first user page of the first {@code orgs} organisations, then the
 * listed {@code keys}. Runs on one virtual thread, one key at a time, so it never competes with traffic for more
 * than one database connection; the service answers requests meanwhile. It first waits (bounded) for the eviction
 * subscription, whose confirmation flushes L1 and would otherwise discard what was warmed. Bad keys fail the start.
 */
@Singleton
public final class CacheWarmer {

    private static final Logger LOG = LoggerFactory.getLogger(CacheWarmer.class);
    private static final Duration SUBSCRIPTION_WAIT = Duration.ofSeconds(5);

    private final TieredCache cache;
    private final EvictionListener listener;
    private final ReadRepository reads;
    private final int orgs;
    private final List<CacheKey> keys;
    private final long timeoutMillis;

    private final DemoKinds kinds;

    CacheWarmer(TieredCache cache, EvictionListener listener, ReadRepository reads, Rules rules, DemoKinds kinds,
                CommitcastConfig config) {
        this.kinds = kinds;
        this.cache = cache;
        this.listener = listener;
        this.reads = reads;
        this.orgs = config.cache().warm().orgs();
        this.timeoutMillis = config.db().queryTimeout().toMillis() * 2;
        List<CacheKey> parsed = new ArrayList<>();
        for (String key : config.cache().warm().keys()) {
            CacheKey parsedKey = rules.keyOfRedisKey(key);
            if (parsedKey == null || key.endsWith(dev.commitcast.core.KeySpace.LEASE_SUFFIX)) {
                throw new InvalidConfigurationException("commitcast.cache.warm.keys", key, "not a value key of "
                        + "the rules' key space " + rules.keySpace().keyPrefix() + " (e.g. "
                        + rules.keySpace().valueKey(kinds.roles(1)) + ")");
            }
            parsed.add(parsedKey);
        }
        this.keys = List.copyOf(parsed);
    }

    /** Starts warming in the background once the server is up, when anything is configured. */
    @EventListener
    void onStartup(ServerStartupEvent event) {
        if ((orgs > 0 || !keys.isEmpty()) && cache.enabled()) {
            Thread.ofVirtual().name("cache-warmer").start(() -> {
                awaitSubscription();
                warm();
            });
        }
    }

    private void awaitSubscription() {
        long deadline = System.nanoTime() + SUBSCRIPTION_WAIT.toNanos();
        while (!listener.isSubscribed() && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        if (!listener.isSubscribed()) {
            LOG.warn("Cache warm-up starts without the eviction subscription after {} ms; a later subscription"
                    + " flushes what was warmed", SUBSCRIPTION_WAIT.toMillis());
        }
    }

    /** Warms every configured key; returns how many came from each source. Blocking. */
    Map<Lookup.Source, Integer> warm() {
        long started = System.nanoTime();
        Map<Lookup.Source, Integer> sources = new EnumMap<>(Lookup.Source.class);
        Set<CacheKey> todo = new LinkedHashSet<>();
        int failed = 0;
        try {
            for (long org : reads.firstOrgIds(orgs)) {
                todo.add(kinds.settings(org));
                todo.add(kinds.roles(org));
                todo.add(kinds.userList(org));
            }
        } catch (RuntimeException e) {
            LOG.warn("Cache warm-up could not list organisations: {}; warming only commitcast.cache.warm.keys",
                    e.getMessage());
        }
        todo.addAll(keys);
        for (CacheKey key : todo) {
            try {
                Lookup lookup = cache.get(key).toCompletableFuture().get(timeoutMillis, TimeUnit.MILLISECONDS);
                sources.merge(lookup.source(), 1, Integer::sum);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LOG.warn("Cache warm-up interrupted after {} keys", sources.values().stream().mapToInt(i -> i).sum());
                return sources;
            } catch (Exception e) {
                failed++;
                LOG.warn("Cache warm-up of {} failed: {}; it will be loaded on first read", key, e.toString());
            }
        }
        LOG.info("Cache warm-up done: {} keys in {} ms, by source {}, {} failed{}", todo.size(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), sources, failed,
                sources.containsKey(Lookup.Source.BYPASS)
                        ? " (BYPASS: caches untrusted until a fresh pipeline watermark arrives)" : "");
        return sources;
    }
}
