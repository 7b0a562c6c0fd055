package dev.commitcast.micronaut;

import io.micronaut.cache.annotation.Cacheable;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** Everything {@link CacheableCheck} must refuse; only in the context of the test that wants it. */
@Singleton
@Requires(property = "test.misused-caches", value = "true")
public class MisusedCaches {

    /** Not atomic. */
    @Cacheable("product")
    public String notAtomic(UUID id) {
        return "x";
    }

    /** Parameters named unlike the parts, and not as many. */
    @CommitcastCacheable("price")
    public String unbound(UUID productId) {
        return "x";
    }

    /** An Optional. */
    @CommitcastCacheable("product")
    public Optional<String> optional(UUID id) {
        return Optional.empty();
    }

    /** A future. */
    @CommitcastCacheable("product")
    public CompletableFuture<String> future(UUID id) {
        return CompletableFuture.completedFuture("x");
    }

    /** Not a kind. */
    @CommitcastCacheable("prodcut")
    public String typo(UUID id) {
        return "x";
    }
}
