package dev.commitcast.api.http;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST} and {@code PUT} on roles.
 *
 * @param name        required, 1 to 100 characters, unique within the organisation
 * @param description free text up to 1,000 characters, empty when absent
 * @param system      whether the role is built in, {@code false} when absent
 */
@Serdeable
@Introspected
record RoleBody(@NotBlank @Size(max = 100) String name, @Nullable @Size(max = 1000) String description,
                @Nullable Boolean system) {

    String descriptionOrDefault() {
        return description == null ? "" : description;
    }

    boolean systemOrDefault() {
        return system != null && system;
    }
}
