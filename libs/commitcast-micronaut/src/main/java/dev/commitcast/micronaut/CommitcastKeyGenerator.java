package dev.commitcast.micronaut;

import io.micronaut.aop.MethodInvocationContext;
import io.micronaut.cache.interceptor.CacheKeyGenerator;
import io.micronaut.core.annotation.AnnotationMetadata;
import io.micronaut.core.type.Argument;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Keys {@code @Cacheable} methods by their parameters' names, so {@link CommitcastSyncCache} can bind them to the key
 * parts of the cache's rule kind: {@code @CommitcastCacheable("user") User user(long org, long id)} reads the key
 * {@code org:{org}:user:{id}}. Micronaut passes the invocation itself as the annotation metadata; with
 * {@code parameters} on the annotation only those are kept (in declaration order). Stateless; instantiated by
 * micronaut-cache with its public no-argument constructor.
 */
public final class CommitcastKeyGenerator implements CacheKeyGenerator {

    /** Creates the generator. */
    public CommitcastKeyGenerator() {
    }

    @Override
    public Object generateKey(AnnotationMetadata annotationMetadata, Object... params) {
        if (!(annotationMetadata instanceof MethodInvocationContext<?, ?> invocation)) {
            throw new IllegalStateException("CommitcastKeyGenerator needs the method invocation; got "
                    + annotationMetadata.getClass().getName());
        }
        Argument<?>[] arguments = invocation.getArguments();
        Object[] all = invocation.getParameterValues();
        Set<String> kept = Set.of(params.length == all.length ? new String[0] : selected(invocation));
        List<String> names = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < arguments.length; i++) {
            if (kept.isEmpty() || kept.contains(arguments[i].getName())) {
                names.add(arguments[i].getName());
                values.add(all[i]);
            }
        }
        String method = invocation.getDeclaringType().getSimpleName() + "." + invocation.getMethodName()
                + Arrays.stream(arguments).map(Argument::getName).toList();
        return new MethodKey(method, List.copyOf(names), values.toArray());
    }

    private static String[] selected(MethodInvocationContext<?, ?> invocation) {
        return invocation.stringValues(io.micronaut.cache.annotation.Cacheable.class, "parameters");
    }
}
