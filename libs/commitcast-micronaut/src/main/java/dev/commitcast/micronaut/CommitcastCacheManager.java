package dev.commitcast.micronaut;

import dev.commitcast.client.CommitcastClient;
import dev.commitcast.core.KeyKind;
import io.micronaut.cache.DynamicCacheManager;
import io.micronaut.cache.SyncCache;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands micronaut-cache one {@link CommitcastSyncCache} per rule kind, so {@code @Cacheable("user")} names a kind of
 * the rules file; a name the rules do not declare fails naming the declared kinds ({@link CacheableCheck} reports it
 * at start-up). Thread-safe.
 */
@Singleton
final class CommitcastCacheManager implements DynamicCacheManager<CommitcastClient> {

    private final CommitcastClient client;
    private final JsonMapper json;
    private final Map<String, CommitcastSyncCache> caches = new ConcurrentHashMap<>();

    CommitcastCacheManager(CommitcastClient client, JsonMapper json) {
        this.client = client;
        this.json = json;
    }

    @Override
    public SyncCache<CommitcastClient> getCache(String name) {
        return caches.computeIfAbsent(name, n -> new CommitcastSyncCache(kind(n), client, json));
    }

    /** Returns the rule kind of a cache name. */
    KeyKind kind(String name) {
        return client.rules().findKind(name).orElseThrow(() -> new ConfigurationException("no cache '" + name
                + "': the rules " + client.rules().source() + " declare the kinds "
                + client.rules().kinds().stream().map(KeyKind::name).toList()));
    }
}
