package dev.commitcast.api.data;

import dev.commitcast.api.config.CommitcastConfig;
import dev.commitcast.api.config.InvalidConfigurationException;
import dev.commitcast.core.CacheKey;
import dev.commitcast.api.http.CachedValue;
import dev.commitcast.api.http.DemoKinds;
import dev.commitcast.client.Loader;
import dev.commitcast.client.Lookup;
import dev.commitcast.client.TieredCache;
import dev.commitcast.client.WarmUp;
import dev.commitcast.core.Rules;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads {@code commitcast.cache.warm.*} into the caches after start with the client's warm-up (through the normal read
 * path, fenced and counted, one key at a time after the eviction subscription): settings, roles and the first user
 * page of the first {@code orgs} organisations, then the listed {@code keys}. Runs on one virtual thread; the
 * service answers requests meanwhile. Bad keys fail the start.
 */
@Singleton
public final class CacheWarmer {

    private static final Logger LOG = LoggerFactory.getLogger(CacheWarmer.class);
    private static final Duration SUBSCRIPTION_WAIT = Duration.ofSeconds(5);

    private final TieredCache<CachedValue> cache;
    private final Loader<CachedValue> loader;
    private final boolean enabled;
    private final ReadRepository reads;
    private final int orgs;
    private final List<CacheKey> keys;
    private final Duration timeout;

    private final DemoKinds kinds;

    CacheWarmer(TieredCache<CachedValue> cache, Loader<CachedValue> loader, ReadRepository reads, Rules rules,
                DemoKinds kinds, CommitcastConfig config) {
        this.kinds = kinds;
        this.cache = cache;
        this.loader = loader;
        this.enabled = config.cache().enabled();
        this.reads = reads;
        this.orgs = config.cache().warm().orgs();
        this.timeout = config.db().queryTimeout().multipliedBy(2);
        List<CacheKey> parsed = new ArrayList<>();
        for (String key : config.cache().warm().keys()) {
            CacheKey parsedKey = rules.keyOfRedisKey(key);
            if (parsedKey == null || dev.commitcast.core.KeySpace.isLeaseKey(key)) {
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
        if ((orgs > 0 || !keys.isEmpty()) && enabled) {
            Thread.ofVirtual().name("cache-warmer").start(this::warm);
        }
    }

    /** Warms every configured key; returns how many came from each source. Blocking. */
    Map<Lookup.Source, Integer> warm() {
        Set<CacheKey> todo = new LinkedHashSet<>();
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
        WarmUp done = cache.warm(todo, loader, SUBSCRIPTION_WAIT, timeout);
        LOG.info("Cache warm-up done: {} keys in {} ms, by source {}, {} failed{}", todo.size(), done.took().toMillis(),
                done.bySource(), done.failed(), done.bySource().containsKey(Lookup.Source.BYPASS)
                        ? " (BYPASS: caches untrusted until a fresh pipeline watermark arrives)" : "");
        return done.bySource();
    }
}
