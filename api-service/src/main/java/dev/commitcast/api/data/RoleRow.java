package dev.commitcast.api.data;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/**
 * A row of {@code roles}, and its JSON representation.
 *
 * @param id          the role id
 * @param orgId       the organisation
 * @param name        unique within the organisation, 1 to 100 characters
 * @param description free text
 * @param system      whether the role is built in ({@code is_system})
 * @param createdAt   creation time
 * @param updatedAt   last update time (maintained by a trigger)
 */
@MappedEntity("roles")
@Serdeable
public record RoleRow(@Id long id, long orgId, String name, String description,
                      @MappedProperty("is_system") boolean system, Instant createdAt, Instant updatedAt) {
}
