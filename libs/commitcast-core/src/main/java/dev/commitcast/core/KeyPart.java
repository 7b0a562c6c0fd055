package dev.commitcast.core;

import java.util.Objects;

/**
 * One named, typed part of a key template, e.g. {@code org: bigint}. Immutable.
 *
 * @param name the name used in the template ({@code {org}}) and in bindings
 * @param type the type of its values
 */
public record KeyPart(String name, PartType type) {

    /** Validates the components. */
    public KeyPart {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }
}
