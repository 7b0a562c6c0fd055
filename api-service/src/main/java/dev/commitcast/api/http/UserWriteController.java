package dev.commitcast.api.http;

import dev.commitcast.api.data.ReadModelWriter;
import dev.commitcast.api.data.UserRow;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.json.tree.JsonNode;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Positive;

import java.net.URI;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Creates, replaces, patches and deletes users, in Postgres only (caches follow through the CDC pipeline).
 * 400 names the invalid field, 404 an unknown organisation or user, 409 a duplicate email.
 */
@Controller("/v1/orgs/{orgId}/users")
class UserWriteController {

    private final ReadModelWriter writer;
    private final DatabaseCalls database;
    private final Validator validator;

    UserWriteController(ReadModelWriter writer, DatabaseCalls database, Validator validator) {
        this.writer = writer;
        this.database = database;
        this.validator = validator;
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

    /** JSON merge patch: see {@link UserPatchBody}. */
    @Patch("/{userId}")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.APPLICATION_JSON_MERGE_PATCH})
    CompletionStage<UserRow> patch(@Positive long orgId, @Positive long userId, @Nullable @Body JsonNode json) {
        UserPatchBody body = UserPatchBody.of(json);
        Set<ConstraintViolation<UserPatchBody>> violations = validator.validate(body);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        return database.call(() -> writer.patchUser(orgId, userId, body.email(), body.displayName(), body.roleId(),
                body.clearRole(), body.status()));
    }

    @Delete("/{userId}")
    CompletionStage<HttpResponse<Void>> delete(@Positive long orgId, @Positive long userId) {
        return database.call(() -> {
            writer.deleteUser(orgId, userId);
            return HttpResponse.noContent();
        });
    }
}
