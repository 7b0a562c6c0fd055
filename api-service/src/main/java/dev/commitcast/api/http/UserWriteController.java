package dev.commitcast.api.http;

import dev.commitcast.api.data.InvalidFieldException;
import dev.commitcast.api.data.ReadModelWriter;
import dev.commitcast.api.data.UserRow;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Positive;

import java.net.URI;
import java.util.concurrent.CompletionStage;

/**
 * Creates, replaces, patches and deletes users, in Postgres only (caches follow through the CDC pipeline).
 * 400 names the invalid field, 404 an unknown organisation or user, 409 a duplicate email.
 */
@Controller("/v1/orgs/{orgId}/users")
class UserWriteController {

    private final ReadModelWriter writer;
    private final DatabaseCalls database;

    UserWriteController(ReadModelWriter writer, DatabaseCalls database) {
        this.writer = writer;
        this.database = database;
    }

    @Post
    CompletionStage<HttpResponse<UserRow>> create(@Positive long orgId, @Valid @Body UserBody body) {
        return database.call(() -> writer.createUser(orgId, body.email(), body.displayName(), body.roleId(),
                        body.statusOrDefault()))
                .thenApply(user -> HttpResponse.created(user,
                        URI.create("/v1/orgs/" + orgId + "/users/" + user.id())));
    }

    @Put("/{userId}")
    CompletionStage<UserRow> replace(@Positive long orgId, @Positive long userId, @Valid @Body UserBody body) {
        return database.call(() -> writer.replaceUser(orgId, userId, body.email(), body.displayName(),
                body.roleId(), body.statusOrDefault()));
    }

    @Patch("/{userId}")
    CompletionStage<UserRow> patch(@Positive long orgId, @Positive long userId, @Valid @Body UserPatchBody body) {
        if (body.isEmpty()) {
            throw new InvalidFieldException(null, "empty patch: give at least one of email, displayName, roleId,"
                    + " status");
        }
        return database.call(() -> writer.patchUser(orgId, userId, body.email(), body.displayName(), body.roleId(),
                body.status()));
    }

    @Delete("/{userId}")
    CompletionStage<HttpResponse<Void>> delete(@Positive long orgId, @Positive long userId) {
        return database.call(() -> {
            writer.deleteUser(orgId, userId);
            return HttpResponse.noContent();
        });
    }
}
