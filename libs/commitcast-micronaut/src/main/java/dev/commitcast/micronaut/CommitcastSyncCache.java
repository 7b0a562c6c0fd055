package dev.commitcast.micronaut;

import dev.commitcast.client.CacheLoadException;
import dev.commitcast.client.CommitcastClient;
import dev.commitcast.client.TieredCache;
import dev.commitcast.core.CacheKey;
import dev.commitcast.core.KeyKind;
import dev.commitcast.core.KeyPart;
import io.micronaut.cache.SyncCache;
import io.micronaut.cache.interceptor.ParametersKey;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One rule kind as a micronaut-cache {@link SyncCache}: {@code @Cacheable(value = "user", atomic = true)} (or
 * {@link CommitcastCacheable}) reads through the kind's {@link TieredCache}, the method being the loader, its
 * parameters bound to the key parts by name ({@link CommitcastKeyGenerator}) and its value stored as JSON.
 *
 * <ul>
 *   <li>Read-through only: {@code put} and {@code putIfAbsent} store nothing (a value written without the fill lease
 *       could be older than an invalidation); the non-atomic {@code get} fails with what to change.</li>
 *   <li>{@code invalidate} and {@code invalidateAll} delete in Redis and this instance's L1 — harmless, and unnecessary:
 *       the pipeline invalidates every committed change.</li>
 * </ul>
 * Thread-safe.
 */
final class CommitcastSyncCache implements SyncCache<CommitcastClient> {

    private static final Logger LOG = LoggerFactory.getLogger(CommitcastSyncCache.class);

    private final KeyKind kind;
    private final CommitcastClient client;
    private final JsonMapper json;
    private volatile TieredCache<Object> cache; // written under this
    private volatile JsonCodec<?> codec; // written under this, before cache

    CommitcastSyncCache(KeyKind kind, CommitcastClient client, JsonMapper json) {
        this.kind = kind;
        this.client = client;
        this.json = json;
    }

    @Override
    public String getName() {
        return kind.name();
    }

    @Override
    public CommitcastClient getNativeCache() {
        return client;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get(Object key, Argument<T> requiredType, Supplier<T> supplier) {
        CacheKey cacheKey = keyOf(key);
        try {
            return (T) cacheFor(requiredType).get(cacheKey, k -> supplier.get());
        } catch (CacheLoadException e) {
            if (e.getCause() instanceof Exception checked && !(checked instanceof RuntimeException)
                    && !(checked instanceof java.util.concurrent.TimeoutException)
                    && !(checked instanceof InterruptedException)) {
                throw CommitcastSyncCache.<RuntimeException>sneaky(checked); // the method's own checked exception
            }
            throw e;
        }
    }

    @Override
    public <T> Optional<T> get(Object key, Argument<T> requiredType) {
        throw new UnsupportedOperationException("cache '" + kind.name() + "' is a Commitcast rule kind: it reads "
                + "through, so @Cacheable needs atomic = true (or use @CommitcastCacheable); a non-atomic @Cacheable "
                + "would store values without the fill lease that keeps them from overwriting an invalidation");
    }

    @Override
    public <T> Optional<T> putIfAbsent(Object key, T value) {
        LOG.debug("putIfAbsent on Commitcast cache '{}' ignored: values enter by read-through fills only", kind.name());
        return Optional.empty();
    }

    @Override
    public void put(Object key, Object value) {
        LOG.debug("put on Commitcast cache '{}' ignored: values enter by read-through fills only", kind.name());
    }

    @Override
    public void invalidate(Object key) {
        await(client.invalidate(List.of(keyOf(key))));
    }

    @Override
    public void invalidateAll() {
        await(client.invalidate(client.rules().namespace(List.of(kind), null)));
    }

    /** Returns the key of the kind that a generated key names; {@link IllegalArgumentException} saying why not. */
    CacheKey keyOf(Object key) {
        List<KeyPart> parts = kind.parts();
        if (key instanceof MethodKey method) {
            Object[] values = new Object[parts.size()];
            boolean byName = true;
            for (int i = 0; i < parts.size() && byName; i++) {
                int at = method.names().indexOf(parts.get(i).name());
                byName = at >= 0;
                values[i] = byName ? method.values()[at] : null;
            }
            if (byName && method.values().length == parts.size()) {
                return kind.key(values);
            }
            if (method.values().length == parts.size()) {
                return kind.key(method.values()); // positional: as many parameters as parts
            }
            throw new IllegalArgumentException(mismatch(method.method(), method.names()));
        }
        if (key instanceof ParametersKey) {
            throw new IllegalArgumentException("cache '" + kind.name() + "' got a key of several parameters without "
                    + "their names: use @CommitcastCacheable or @Cacheable(keyGenerator = CommitcastKeyGenerator.class)");
        }
        if (parts.size() == 1) {
            return kind.key(key);
        }
        throw new IllegalArgumentException("cache '" + kind.name() + "' has key parts " + partNames() + ", got one value "
                + key);
    }

    /** The error of a method whose parameters cannot be bound to the kind's key parts. */
    String mismatch(String method, List<String> parameters) {
        return method + " cannot be cached as '" + kind.name() + "' (key " + kind.template() + "): its key parts "
                + partNames() + " must be the names of its parameters " + parameters + " (or select as many with "
                + "@Cacheable(parameters = ...), bound in order)";
    }

    private List<String> partNames() {
        List<String> names = new ArrayList<>();
        for (KeyPart part : parts()) {
            names.add(part.name());
        }
        return names;
    }

    private List<KeyPart> parts() {
        return kind.parts();
    }

    /** The kind's cache; the first call makes it with a codec of its type (a lock only then: hits take none). */
    private TieredCache<Object> cacheFor(Argument<?> type) {
        TieredCache<Object> made = cache;
        JsonCodec<?> typed = codec;
        if (made != null && (typed.type() == type || typed.type().equalsType(type))) {
            return made;
        }
        return makeCache(type);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private synchronized TieredCache<Object> makeCache(Argument<?> type) {
        if (cache == null) {
            codec = new JsonCodec<>(json, type);
            cache = (TieredCache) client.cache(kind.name(), codec);
        } else if (!codec.type().equalsType(type)) {
            throw new IllegalStateException("cache '" + kind.name() + "' holds " + codec.type().getTypeString(true)
                    + " values; a method returning " + type.getTypeString(true) + " cannot share it (one value type "
                    + "per rule kind: L1 and Redis hold one value per key)");
        }
        return cache;
    }

    private static void await(java.util.concurrent.CompletionStage<Long> invalidation) {
        try {
            invalidation.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while invalidating", e);
        } catch (Exception e) {
            throw new IllegalStateException("invalidation failed (L1 was evicted; the pipeline invalidates committed "
                    + "changes anyway): " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable e) throws E {
        throw (E) e;
    }
}
