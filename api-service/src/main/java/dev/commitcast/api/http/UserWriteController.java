package dev.commitcast.api.http;

import dev.commitcast.api.data.ReadModelWriter;
import dev.commitcast.api.data.UserRow;
import dev.commitcast.core.Operation;
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
 * Creates, replaces, patches and deletes users, in Postgres only (caches follow through the CDC pipeline; with
 * {@code commitcast.cache.bust-on-write}, the baseline, each write also busts its row's keys: {@link BustOnWrite}).
 * 400 names the invalid field, 404 an unknown organisation or user, 409 a duplicate email.
 */
@Controller("/v1/orgs/{orgId}/users")
class UserWriteController {

    private final ReadModelWriter writer;
    private final DatabaseCalls database;
    private final Validator validator;
    private final BustOnWrite bust;

    UserWriteController(ReadModelWriter writer, DatabaseCalls database, Validator validator, BustOnWrite bust) {
        this.writer = writer;
        this.database = database;
        this.validator = validator;
        this.bust = bust;
    }

    @Post
    CompletionStage<HttpResponse<UserRow>> create(@Positive long orgId, @Valid @Body UserBody body) {
        return bust.after(database.call(() -> writer.createUser(orgId, body.email(), body.displayName(), body.roleId(),
                        body.statusOrDefault())), user -> BustOnWrite.user(Operation.CREATE, user))
                .thenApply(user -> HttpResponse.created(user,
                        URI.create("/v1/orgs/" + orgId + "/users/" + user.id())));
    }

    @Put("/{userId}")
    CompletionStage<UserRow> replace(@Positive long orgId, @Positive long userId, @Valid @Body UserBody body) {
        return bust.after(database.call(() -> writer.replaceUser(orgId, userId, body.email(), body.displayName(),
                body.roleId(), body.statusOrDefault())), user -> BustOnWrite.user(Operation.UPDATE, user));
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
        return bust.after(database.call(() -> writer.patchUser(orgId, userId, body.email(), body.displayName(),
                body.roleId(), body.clearRole(), body.status())), user -> BustOnWrite.user(Operation.UPDATE, user));
    }

    @Delete("/{userId}")
    CompletionStage<HttpResponse<Void>> delete(@Positive long orgId, @Positive long userId) {
        return bust.after(database.call(() -> {
            writer.deleteUser(orgId, userId);
            return HttpResponse.<Void>noContent();
        }), done -> BustOnWrite.userDeleted(orgId, userId));
    }
}
