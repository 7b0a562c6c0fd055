package dev.commitcast.micronaut;

import dev.commitcast.client.CommitcastClient;
import dev.commitcast.core.KeyKind;
import dev.commitcast.core.KeyPart;
import io.micronaut.cache.SyncCache;
import io.micronaut.cache.annotation.CacheConfig;
import io.micronaut.cache.annotation.Cacheable;
import io.micronaut.context.BeanContext;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.type.Argument;
import io.micronaut.inject.BeanDefinition;
import io.micronaut.inject.ExecutableMethod;
import io.micronaut.inject.qualifiers.Qualifiers;
import org.reactivestreams.Publisher;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;

/**
 * Checks every {@code @Cacheable} method of the application when the context starts, so a cache that cannot work
 * stops the start with every problem named (method, cache, what to change) instead of failing on the first call:
 * a cache name that is neither a rule kind nor another configured cache; on a rule kind, a method that is not
 * {@code atomic}, returns nothing, an {@code Optional}, a future or a publisher, or whose parameters cannot be bound
 * to the kind's key parts.
 */
@Context
final class CacheableCheck {

    CacheableCheck(BeanContext context, CommitcastClient client) {
        List<String> problems = new ArrayList<>();
        for (BeanDefinition<?> bean : context.getAllBeanDefinitions()) {
            for (ExecutableMethod<?, ?> method : bean.getExecutableMethods()) {
                if (method.hasStereotype(Cacheable.class)) {
                    check(context, client, bean, method, problems);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException("@Cacheable methods that cannot read through Commitcast (rules "
                    + client.rules().source() + "):\n  - " + String.join("\n  - ", problems));
        }
    }

    private static void check(BeanContext context, CommitcastClient client, BeanDefinition<?> bean,
                              ExecutableMethod<?, ?> method, List<String> problems) {
        String where = method.getDeclaringType().getSimpleName() + "." + method.getMethodName()
                + Arrays.stream(method.getArguments()).map(Argument::getName).toList();
        String[] names = method.stringValues(Cacheable.class, "cacheNames");
        if (names.length == 0) {
            names = method.stringValues(CacheConfig.class, "cacheNames");
        }
        for (String name : names) {
            Optional<KeyKind> kind = client.rules().findKind(name);
            if (kind.isEmpty()) {
                if (!context.containsBean(SyncCache.class, Qualifiers.byName(name))) {
                    problems.add(where + ": cache '" + name + "' is not a kind of the rules (declared: "
                            + client.rules().kinds().stream().map(KeyKind::name).toList() + ")");
                }
                continue;
            }
            checkKind(kind.get(), where, method, problems);
        }
    }

    private static void checkKind(KeyKind kind, String where, ExecutableMethod<?, ?> method, List<String> problems) {
        String cache = where + " on '" + kind.name() + "'";
        if (!method.booleanValue(Cacheable.class, "atomic").orElse(false)) {
            problems.add(cache + ": needs atomic = true (or @CommitcastCacheable); Commitcast caches read through and "
                    + "never store a value without its fill lease");
        }
        Class<?> returned = method.getReturnType().getType();
        if (returned == void.class || returned == Void.class || Optional.class.isAssignableFrom(returned)
                || CompletionStage.class.isAssignableFrom(returned) || Future.class.isAssignableFrom(returned)
                || Publisher.class.isAssignableFrom(returned)) {
            problems.add(cache + ": returns " + returned.getSimpleName() + "; a Commitcast cache needs a plain value "
                    + "(null means \"not found\" and is cached as such)");
        }
        Set<String> selected = Set.of(method.stringValues(Cacheable.class, "parameters"));
        List<String> parameters = new ArrayList<>();
        for (Argument<?> argument : method.getArguments()) {
            if (selected.isEmpty() || selected.contains(argument.getName())) {
                parameters.add(argument.getName());
            }
        }
        List<String> parts = kind.parts().stream().map(KeyPart::name).toList();
        boolean named = method.classValue(Cacheable.class, "keyGenerator")
                .filter(CommitcastKeyGenerator.class::equals).isPresent();
        boolean bindable = named ? parameters.containsAll(parts) && parameters.size() == parts.size()
                || parameters.size() == parts.size() : parts.size() == 1 && parameters.size() == 1;
        if (!bindable) {
            problems.add(cache + ": parameters " + parameters + " cannot be bound to the key parts " + parts
                    + " of " + kind.template() + (named ? "; name them like the parts, or select as many with "
                    + "parameters = {...}" : "; use @CommitcastCacheable (or keyGenerator = "
                    + "CommitcastKeyGenerator.class) to bind parameters by name"));
        }
    }
}
