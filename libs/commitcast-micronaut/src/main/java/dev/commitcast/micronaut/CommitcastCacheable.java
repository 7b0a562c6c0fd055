package dev.commitcast.micronaut;

import io.micronaut.cache.annotation.Cacheable;
import io.micronaut.context.annotation.AliasFor;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * {@code @Cacheable} through Commitcast: the method's value is read through the two-tier fenced cache of the rule kind
 * {@link #value()}, its parameters bound to the kind's key parts by name. Shorthand for
 * {@code @Cacheable(value = kind, atomic = true, keyGenerator = CommitcastKeyGenerator.class)}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Cacheable(atomic = true, keyGenerator = CommitcastKeyGenerator.class)
public @interface CommitcastCacheable {

    /** The rule kind (the cache name). */
    @AliasFor(annotation = Cacheable.class, member = "cacheNames")
    String value();

    /** The parameters that are the key parts, when the method has others too; default all. */
    @AliasFor(annotation = Cacheable.class, member = "parameters")
    String[] parameters() default {};
}
