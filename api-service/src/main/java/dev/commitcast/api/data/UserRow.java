package dev.commitcast.api.data;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/**
 * A row of {@code users}, and its JSON representation.
 *
 * @param id          the user id
 * @param orgId       the organisation
 * @param email       unique within the organisation
 * @param displayName 1 to 200 characters
 * @param roleId      the role, of the same organisation, or {@code null}
 * @param status      {@code active}, {@code invited} or {@code suspended}
 * @param createdAt   creation time
 * @param updatedAt   last update time (maintained by a trigger)
 */
@MappedEntity("users")
@Serdeable
public record UserRow(@Id long id, long orgId, String email, String displayName, @Nullable Long roleId,
                      String status, Instant createdAt, Instant updatedAt) {
}
