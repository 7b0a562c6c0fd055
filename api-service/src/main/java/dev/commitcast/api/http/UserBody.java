package dev.commitcast.api.http;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST} and {@code PUT} on users; mirrors the table's checks so clients get a 400 naming the field
 * before the database is asked.
 *
 * @param email       required, {@code local@domain}
 * @param displayName required, 1 to 200 characters
 * @param roleId      a role of the same organisation, or absent for none
 * @param status      {@code active} (default), {@code invited} or {@code suspended}
 */
@Serdeable
@Introspected
record UserBody(@NotNull @Size(max = 320) @Pattern(regexp = Fields.EMAIL, message = "must be local@domain") String email,
                @NotBlank @Size(max = 200) String displayName,
                @Nullable @Positive Long roleId,
                @Nullable @Pattern(regexp = Fields.STATUS, message = "must be active, invited or suspended")
                String status) {

    /** Returns the status, {@code active} when absent. */
    String statusOrDefault() {
        return status == null ? "active" : status;
    }
}
