package dev.commitcast.micronaut;

import java.util.Arrays;
import java.util.List;

/**
 * The key {@link CommitcastKeyGenerator} hands to the cache: the cached method's selected parameters by name, which
 * {@link CommitcastSyncCache} binds to the kind's key parts.
 *
 * @param method the method, for error messages
 * @param names  the parameter names, in declaration order
 * @param values their values
 */
record MethodKey(String method, List<String> names, Object[] values) {

    @Override
    public boolean equals(Object o) {
        return o instanceof MethodKey other && names.equals(other.names) && Arrays.deepEquals(values, other.values);
    }

    @Override
    public int hashCode() {
        return names.hashCode() * 31 + Arrays.deepHashCode(values);
    }

    @Override
    public String toString() {
        return method + Arrays.toString(values);
    }
}
