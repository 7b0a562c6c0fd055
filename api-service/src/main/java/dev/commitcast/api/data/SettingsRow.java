package dev.commitcast.api.data;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/**
 * A row of {@code org_settings}, and its JSON representation.
 *
 * @param orgId             the organisation
 * @param timezone          IANA zone id
 * @param locale            BCP 47 language tag
 * @param ssoEnabled        whether single sign-on is on
 * @param mfaRequired       whether MFA is enforced
 * @param sessionTtlMinutes 5 to 43,200
 * @param dataRetentionDays 1 to 3,650
 * @param updatedAt         last update time (maintained by a trigger)
 */
@MappedEntity("org_settings")
@Serdeable
public record SettingsRow(@Id long orgId, String timezone, String locale, boolean ssoEnabled, boolean mfaRequired,
                          int sessionTtlMinutes, int dataRetentionDays, Instant updatedAt) {
}
