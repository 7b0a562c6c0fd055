package dev.commitcast.api.http;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code PATCH} on a user: the fields to change; absent (or null) fields keep their value, so a role
 * cannot be removed by PATCH (use PUT). At least one field must be given.
 *
 * @param email       {@code local@domain}
 * @param displayName 1 to 200 characters
 * @param roleId      a role of the same organisation
 * @param status      {@code active}, {@code invited} or {@code suspended}
 */
@Serdeable
@Introspected
record UserPatchBody(@Nullable @Size(max = 320) @Pattern(regexp = Fields.EMAIL, message = "must be local@domain")
                     String email,
                     @Nullable @Size(min = 1, max = 200) @Pattern(regexp = ".*\\S.*", message = "must not be blank")
                     String displayName,
                     @Nullable @Positive Long roleId,
                     @Nullable @Pattern(regexp = Fields.STATUS, message = "must be active, invited or suspended")
                     String status) {

    /** Returns whether no field is given. */
    boolean isEmpty() {
        return email == null && displayName == null && roleId == null && status == null;
    }
}
