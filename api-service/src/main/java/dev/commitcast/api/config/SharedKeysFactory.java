package dev.commitcast.api.config;

import dev.commitcast.keys.EvictionCodec;
import dev.commitcast.keys.KeyCodec;
import dev.commitcast.keys.KeySpace;
import dev.commitcast.keys.TtlPolicy;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.function.BiConsumer;

/**
 * Builds the shared-keys values of this service from {@link CommitcastConfig}: the key space, the key and eviction
 * codecs, the TTL policy, and the {@link Clock} every time-dependent component uses (tests replace it).
 */
@Factory
public class SharedKeysFactory {

    /** Returns the configured key space. */
    @Singleton
    KeySpace keySpace(CommitcastConfig config) {
        return config.keySpaceValue();
    }

    /** Returns the one key codec: keys are rendered nowhere else. */
    @Singleton
    KeyCodec keyCodec(KeySpace keySpace) {
        return new KeyCodec(keySpace);
    }

    /** Returns the codec of the eviction broadcast. */
    @Singleton
    EvictionCodec evictionCodec(KeySpace keySpace) {
        return new EvictionCodec(keySpace);
    }

    /** Returns the system UTC clock. */
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * Returns the TTL policy of {@code commitcast.cache.ttl.*}.
     *
     * @throws InvalidConfigurationException naming the key whose value {@link TtlPolicy} rejected
     */
    @Singleton
    public static TtlPolicy ttlPolicy(CommitcastConfig config) {
        CommitcastConfig.CacheConfig.TtlConfig ttl = config.cache().ttl();
        TtlPolicy.Builder builder = TtlPolicy.builder();
        set(builder, "settings", ttl.settings(), TtlPolicy.Builder::settings);
        set(builder, "roles", ttl.roles(), TtlPolicy.Builder::roles);
        set(builder, "role-permissions", ttl.rolePermissions(), TtlPolicy.Builder::rolePermissions);
        set(builder, "user", ttl.user(), TtlPolicy.Builder::user);
        set(builder, "user-list", ttl.userList(), TtlPolicy.Builder::userList);
        set(builder, "negative", ttl.negative(), TtlPolicy.Builder::negative);
        set(builder, "jitter", ttl.jitter(), TtlPolicy.Builder::jitter);
        set(builder, "l1-max", ttl.l1Max(), TtlPolicy.Builder::l1MaxTtl);
        return builder.build();
    }

    private static <T> void set(TtlPolicy.Builder builder, String name, T value,
                                BiConsumer<TtlPolicy.Builder, T> setter) {
        if (value == null) {
            return;
        }
        try {
            setter.accept(builder, value);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException("commitcast.cache.ttl." + name, value, e.getMessage(), e);
        }
    }
}
