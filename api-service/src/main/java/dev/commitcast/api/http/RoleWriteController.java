package dev.commitcast.api.http;

import dev.commitcast.api.data.ReadModelWriter;
import dev.commitcast.api.data.RoleRow;
import dev.commitcast.core.Operation;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;

import java.net.URI;
import java.util.concurrent.CompletionStage;

/**
 * Creates, replaces and deletes roles and grants or revokes their permissions, in Postgres only (with
 * {@code commitcast.cache.bust-on-write}, the baseline, each write also busts its row's keys: {@link BustOnWrite}).
 * 400 names the invalid field, 404 an unknown organisation, role or (on revoke) permission, 409 a duplicate role name.
 */
@Controller("/v1/orgs/{orgId}/roles")
class RoleWriteController {

    private final ReadModelWriter writer;
    private final DatabaseCalls database;
    private final BustOnWrite bust;

    RoleWriteController(ReadModelWriter writer, DatabaseCalls database, BustOnWrite bust) {
        this.writer = writer;
        this.database = database;
        this.bust = bust;
    }

    @Post
    CompletionStage<HttpResponse<RoleRow>> create(@Positive long orgId, @Valid @Body RoleBody body) {
        return bust.after(database.call(() -> writer.createRole(orgId, body.name(), body.descriptionOrDefault(),
                        body.systemOrDefault())), role -> BustOnWrite.role(Operation.CREATE, role))
                .thenApply(role -> HttpResponse.created(role,
                        URI.create("/v1/orgs/" + orgId + "/roles/" + role.id())));
    }

    @Put("/{roleId}")
    CompletionStage<RoleRow> replace(@Positive long orgId, @Positive long roleId, @Valid @Body RoleBody body) {
        return bust.after(database.call(() -> writer.replaceRole(orgId, roleId, body.name(),
                body.descriptionOrDefault(), body.systemOrDefault())), role -> BustOnWrite.role(Operation.UPDATE, role));
    }

    @Delete("/{roleId}")
    CompletionStage<HttpResponse<Void>> delete(@Positive long orgId, @Positive long roleId) {
        return bust.after(database.call(() -> {
            writer.deleteRole(orgId, roleId);
            return HttpResponse.<Void>noContent();
        }), done -> BustOnWrite.roleDeleted(orgId, roleId));
    }

    /** Grants a permission: 201 when newly granted, 204 when it already was. */
    @Put("/{roleId}/permissions/{permission}")
    CompletionStage<HttpResponse<Void>> grant(@Positive long orgId, @Positive long roleId,
                                              @Pattern(regexp = Fields.PERMISSION,
                                                      message = "must match " + Fields.PERMISSION) String permission) {
        return bust.after(database.call(() -> writer.grantPermission(orgId, roleId, permission)
                ? HttpResponse.<Void>status(HttpStatus.CREATED) : HttpResponse.<Void>noContent()),
                done -> BustOnWrite.permission(Operation.CREATE, orgId, roleId, permission));
    }

    /** Revokes a permission: 204, or 404 when the role does not have it. */
    @Delete("/{roleId}/permissions/{permission}")
    CompletionStage<HttpResponse<Void>> revoke(@Positive long orgId, @Positive long roleId,
                                               @Pattern(regexp = Fields.PERMISSION,
                                                       message = "must match " + Fields.PERMISSION) String permission) {
        return bust.after(database.call(() -> {
            writer.revokePermission(orgId, roleId, permission);
            return HttpResponse.<Void>noContent();
        }), done -> BustOnWrite.permission(Operation.DELETE, orgId, roleId, permission));
    }
}
