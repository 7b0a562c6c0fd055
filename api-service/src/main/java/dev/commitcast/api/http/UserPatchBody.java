package dev.commitcast.api.http;

import dev.commitcast.api.data.InvalidFieldException;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import java.util.List;
import java.util.Map;

/**
 * The body of {@code PATCH} on a user, with JSON merge-patch semantics (RFC 7396): the fields to change; absent
 * fields keep their value, {@code "roleId": null} removes the role, and the other fields are required so cannot be
 * {@code null}. At least one field must be given; unknown fields are rejected (a typo must not silently do nothing).
 *
 * @param email       {@code local@domain}
 * @param displayName 1 to 200 characters
 * @param roleId      a role of the same organisation
 * @param status      {@code active}, {@code invited} or {@code suspended}
 * @param clearRole   whether the patch removes the role ({@code "roleId": null})
 */
@Introspected
record UserPatchBody(@Nullable @Size(max = 320) @Pattern(regexp = Fields.EMAIL, message = "must be local@domain")
                     String email,
                     @Nullable @Size(min = 1, max = 200) @Pattern(regexp = ".*\\S.*", message = "must not be blank")
                     String displayName,
                     @Nullable @Positive Long roleId,
                     @Nullable @Pattern(regexp = Fields.STATUS, message = "must be active, invited or suspended")
                     String status,
                     boolean clearRole) {

    static final List<String> FIELDS = List.of("email", "displayName", "roleId", "status");

    /**
     * Reads a patch from the request's JSON, field by field, so an explicit {@code null} is told apart from an
     * absent field. Value constraints (formats, lengths) are the annotations above, checked by the caller.
     *
     * @throws InvalidFieldException naming the field, for a body that is not a patch
     */
    static UserPatchBody of(@Nullable JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new InvalidFieldException(null, "the body must be a JSON object with at least one of "
                    + String.join(", ", FIELDS));
        }
        for (Map.Entry<String, JsonNode> field : json.entries()) {
            if (!FIELDS.contains(field.getKey())) {
                throw new InvalidFieldException(field.getKey(), "unknown field; a user patch may set "
                        + String.join(", ", FIELDS));
            }
        }
        if (json.size() == 0) {
            throw new InvalidFieldException(null, "empty patch: give at least one of " + String.join(", ", FIELDS));
        }
        JsonNode role = json.get("roleId");
        Long roleId = null;
        if (role != null && !role.isNull()) {
            if (!role.isNumber() || role.getDoubleValue() != Math.rint(role.getDoubleValue())
                    || Math.abs(role.getDoubleValue()) > Long.MAX_VALUE) {
                throw new InvalidFieldException("roleId", "must be a role id (a positive integer) or null");
            }
            roleId = role.getLongValue();
        }
        return new UserPatchBody(text(json, "email"), text(json, "displayName"), roleId, text(json, "status"),
                role != null && role.isNull());
    }

    private static @Nullable String text(JsonNode json, String name) {
        JsonNode value = json.get(name);
        if (value == null) {
            return null;
        }
        if (value.isNull()) {
            throw new InvalidFieldException(name, "cannot be removed: give a value or leave the field out");
        }
        if (!value.isString()) {
            throw new InvalidFieldException(name, "must be a string");
        }
        return value.getStringValue();
    }
}
