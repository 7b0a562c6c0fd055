package dev.commitcast.api.http;

import dev.commitcast.api.data.InvalidFieldException;
import dev.commitcast.api.data.ReadModelWriter;
import dev.commitcast.api.data.SettingsRow;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Put;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Positive;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.concurrent.CompletionStage;

/**
 * Replaces an organisation's settings, in Postgres only (with {@code commitcast.cache.bust-on-write}, the baseline,
 * also busting their key: {@link BustOnWrite}). 400 names the invalid field, 404 an unknown organisation.
 */
@Controller("/v1/orgs/{orgId}/settings")
class SettingsWriteController {

    private final ReadModelWriter writer;
    private final DatabaseCalls database;
    private final BustOnWrite bust;

    SettingsWriteController(ReadModelWriter writer, DatabaseCalls database, BustOnWrite bust) {
        this.writer = writer;
        this.database = database;
        this.bust = bust;
    }

    @Put
    CompletionStage<SettingsRow> put(@Positive long orgId, @Valid @Body SettingsBody body) {
        try {
            ZoneId.of(body.timezone());
        } catch (DateTimeException e) {
            throw new InvalidFieldException("timezone", "unknown time zone '" + body.timezone()
                    + "'; use an IANA id such as Europe/Berlin");
        }
        return bust.after(database.call(() -> writer.putSettings(orgId, body.timezone(), body.locale(),
                body.ssoEnabled(), body.mfaRequired(), body.sessionTtlMinutes(), body.dataRetentionDays())),
                BustOnWrite::settings);
    }
}
