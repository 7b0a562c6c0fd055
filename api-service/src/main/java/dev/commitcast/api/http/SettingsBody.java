package dev.commitcast.api.http;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * The body of {@code PUT} on settings: every field is required (it replaces the row).
 *
 * @param timezone          an IANA zone id, e.g. {@code Europe/Berlin}
 * @param locale            a BCP 47 tag, e.g. {@code en-GB}
 * @param ssoEnabled        whether single sign-on is on
 * @param mfaRequired       whether MFA is enforced
 * @param sessionTtlMinutes 5 to 43,200
 * @param dataRetentionDays 1 to 3,650
 */
@Serdeable
@Introspected
record SettingsBody(@NotBlank String timezone,
                    @NotNull @Pattern(regexp = "^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$",
                            message = "must be a BCP 47 language tag such as en-GB") String locale,
                    @NotNull Boolean ssoEnabled,
                    @NotNull Boolean mfaRequired,
                    @NotNull @Min(5) @Max(43_200) Integer sessionTtlMinutes,
                    @NotNull @Min(1) @Max(3_650) Integer dataRetentionDays) {
}
