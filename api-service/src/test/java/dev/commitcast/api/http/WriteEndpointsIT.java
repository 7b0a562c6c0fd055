package dev.commitcast.api.http;

import dev.commitcast.testsupport.DemoKeys;
import dev.commitcast.client.CommitcastClient;
import dev.commitcast.api.support.Api;
import dev.commitcast.api.support.ApiTestSupport;
import dev.commitcast.api.support.RedisProbe;
import dev.commitcast.core.CacheKey;
import dev.commitcast.core.KeySpace;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static dev.commitcast.api.support.Api.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every write endpoint and each of its error cases; writes go to Postgres only and never touch a cache. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WriteEndpointsIT extends ApiTestSupport {

    private static final String SETTINGS = """
            {"timezone":"Europe/Paris","locale":"fr-FR","ssoEnabled":true,"mfaRequired":true,
             "sessionTtlMinutes":60,"dataRetentionDays":90}""";

    @Inject
    EmbeddedServer server;
    @Inject
    JsonMapper json;
    @Inject
    CommitcastClient invalidator;
    @Inject
    KeySpace keys;

    private Api api;

    @BeforeAll
    void client() {
        api = new Api(server.getURI());
    }

    @Test
    void usersAreCreatedReplacedPatchedAndDeleted() throws IOException {
        HttpResponse<String> created = api.send("POST", "/v1/orgs/1/users",
                "{\"email\":\"ada@org1.example\",\"displayName\":\"Ada\",\"roleId\":2}");
        assertEquals(201, created.statusCode(), created.body());
        long id = ((Number) parse(created).get("id")).longValue();
        assertEquals("/v1/orgs/1/users/" + id, header(created, "Location"));
        assertEquals("active", parse(created).get("status"));
        assertEquals("Ada", parse(api.get("/v1/orgs/1/users/" + id)).get("displayName"));

        HttpResponse<String> replaced = api.send("PUT", "/v1/orgs/1/users/" + id,
                "{\"email\":\"ada.l@org1.example\",\"displayName\":\"Ada L\",\"status\":\"invited\"}");
        assertEquals(200, replaced.statusCode(), replaced.body());
        assertNull(parse(replaced).get("roleId"), "PUT replaces every field");

        HttpResponse<String> patched = api.send("PATCH", "/v1/orgs/1/users/" + id, "{\"status\":\"suspended\"}");
        assertEquals(200, patched.statusCode(), patched.body());
        assertEquals("suspended", parse(patched).get("status"));
        assertEquals("Ada L", parse(patched).get("displayName"));
        patched = api.send("PATCH", "/v1/orgs/1/users/" + id, "{\"roleId\":2}");
        assertEquals(200, patched.statusCode(), patched.body());
        assertEquals(2, ((Number) parse(patched).get("roleId")).intValue());
        patched = api.send("PATCH", "/v1/orgs/1/users/" + id, "{\"roleId\":null}");
        assertEquals(200, patched.statusCode(), patched.body());
        assertNull(parse(patched).get("roleId"), "merge patch: null removes the role");
        assertEquals("suspended", parse(patched).get("status"), "and keeps the absent fields");
        patched = api.send("PATCH", "/v1/orgs/1/users/" + id, "application/merge-patch+json", "{\"roleId\":2}");
        assertEquals(200, patched.statusCode(), "RFC 7396's media type: " + patched.body());
        assertEquals(2, ((Number) parse(patched).get("roleId")).intValue());

        assertEquals(204, api.send("DELETE", "/v1/orgs/1/users/" + id, null).statusCode());
        assertProblem(api.send("DELETE", "/v1/orgs/1/users/" + id, null), 404, null);
    }

    @Test
    void userErrorsNameTheField() throws IOException {
        assertProblem(post("/v1/orgs/1/users", "{\"displayName\":\"X\"}"), 400, "email");
        assertProblem(post("/v1/orgs/1/users", "{\"email\":\"not-an-email\",\"displayName\":\"X\"}"), 400, "email");
        assertProblem(post("/v1/orgs/1/users", "{\"email\":\"a@b\",\"displayName\":\"  \"}"), 400, "displayName");
        assertProblem(post("/v1/orgs/1/users", "{\"email\":\"a@b\",\"displayName\":\"X\",\"status\":\"boss\"}"),
                400, "status");
        assertProblem(post("/v1/orgs/1/users", "{\"email\":\"a@b\",\"displayName\":\"X\",\"roleId\":5}"),
                400, "roleId");
        assertProblem(post("/v1/orgs/1/users", "{\"email\":\"a@b\",\"displayName\":\"X\",\"roleId\":\"two\"}"),
                400, "roleId");
        assertProblem(post("/v1/orgs/99/users", "{\"email\":\"a@b\",\"displayName\":\"X\"}"), 404, null);
        String existing = (String) parse(api.get("/v1/orgs/1/users/3")).get("email");
        assertProblem(post("/v1/orgs/1/users", "{\"email\":\"" + existing + "\",\"displayName\":\"X\"}"), 409, "email");
        assertProblem(api.send("PUT", "/v1/orgs/1/users/999999", "{\"email\":\"a@b\",\"displayName\":\"X\"}"),
                404, null);
        assertProblem(api.send("PATCH", "/v1/orgs/1/users/4", "{}"), 400, null);
        assertProblem(api.send("PATCH", "/v1/orgs/1/users/4", "{\"email\":\"" + existing + "\"}"), 409, "email");
        assertProblem(api.send("PATCH", "/v1/orgs/1/users/999999", "{\"status\":\"active\"}"), 404, null);
        assertProblem(api.send("PATCH", "/v1/orgs/1/users/4", "{\"email\":null}"), 400, "email");
        assertProblem(api.send("PATCH", "/v1/orgs/1/users/4", "{\"displayName\":\" \"}"), 400, "displayName");
        assertProblem(api.send("PATCH", "/v1/orgs/1/users/4", "{\"displayName\":7}"), 400, "displayName");
        assertProblem(api.send("PATCH", "/v1/orgs/1/users/4", "{\"roleid\":null}"), 400, "roleid");
        for (String role : List.of("\"two\"", "1.5", "-1", "0", "true")) {
            assertProblem(api.send("PATCH", "/v1/orgs/1/users/4", "{\"roleId\":" + role + "}"), 400, "roleId");
        }
        assertProblem(api.send("PATCH", "/v1/orgs/1/users/4", "{\"roleId\":5}"), 400, "roleId");
        for (String body : List.of("[1]", "null", "\"x\"")) {
            assertProblem(api.send("PATCH", "/v1/orgs/1/users/4", body), 400, null);
        }
    }

    @Test
    void malformedOrMissingBodiesAre400NotServerErrors() throws IOException {
        for (String body : List.of("{\"email\":", "not json", "[1,2]", "", "null")) {
            HttpResponse<String> response = post("/v1/orgs/1/users", body);
            assertEquals(400, response.statusCode(), body + " -> " + response.body());
            assertEquals("application/problem+json", header(response, "Content-Type"), body);
        }
        assertTrue(((String) parse(post("/v1/orgs/1/users", "{\"email\":")).get("detail")).startsWith("malformed JSON"));
        assertProblem(api.send("PUT", "/v1/orgs/1/settings", "{\"timezone\":"), 400, null);
    }

    @Test
    void rolesAndPermissionsAreManaged() throws IOException {
        HttpResponse<String> created = post("/v1/orgs/2/roles", "{\"name\":\"Reviewer\",\"description\":\"reads\"}");
        assertEquals(201, created.statusCode(), created.body());
        long role = ((Number) parse(created).get("id")).longValue();
        assertProblem(post("/v1/orgs/2/roles", "{\"name\":\"Reviewer\"}"), 409, "name");
        assertProblem(post("/v1/orgs/2/roles", "{\"name\":\"\"}"), 400, "name");
        assertProblem(post("/v1/orgs/99/roles", "{\"name\":\"X\"}"), 404, null);

        HttpResponse<String> replaced = api.send("PUT", "/v1/orgs/2/roles/" + role,
                "{\"name\":\"Senior Reviewer\",\"system\":true}");
        assertEquals(200, replaced.statusCode(), replaced.body());
        assertEquals(true, parse(replaced).get("system"));
        assertProblem(api.send("PUT", "/v1/orgs/2/roles/1", "{\"name\":\"X\"}"), 404, null);

        String permissions = "/v1/orgs/2/roles/" + role + "/permissions/";
        assertEquals(201, api.send("PUT", permissions + "reports.read", null).statusCode());
        assertEquals(204, api.send("PUT", permissions + "reports.read", null).statusCode(), "already granted");
        assertProblem(api.send("PUT", permissions + "Reports!", null), 400, "permission");
        assertProblem(api.send("PUT", "/v1/orgs/2/roles/1/permissions/reports.read", null), 404, null);
        assertEquals(List.of("reports.read"), parse(api.get(permissions.substring(0, permissions.length() - 1)))
                .get("permissions"));
        assertEquals(204, api.send("DELETE", permissions + "reports.read", null).statusCode());
        assertProblem(api.send("DELETE", permissions + "reports.read", null), 404, null);

        assertEquals(204, api.send("DELETE", "/v1/orgs/2/roles/" + role, null).statusCode());
        assertProblem(api.send("DELETE", "/v1/orgs/2/roles/" + role, null), 404, null);
    }

    @Test
    void settingsAreReplaced() throws IOException {
        HttpResponse<String> put = api.send("PUT", "/v1/orgs/3/settings", SETTINGS);
        assertEquals(200, put.statusCode(), put.body());
        assertEquals("Europe/Paris", parse(put).get("timezone"));
        assertProblem(api.send("PUT", "/v1/orgs/3/settings", SETTINGS.replace("Europe/Paris", "Mars/Olympus")),
                400, "timezone");
        assertProblem(api.send("PUT", "/v1/orgs/3/settings", SETTINGS.replace("\"sessionTtlMinutes\":60",
                "\"sessionTtlMinutes\":1")), 400, "sessionTtlMinutes");
        assertProblem(api.send("PUT", "/v1/orgs/3/settings", SETTINGS.replace("\"ssoEnabled\":true,", "")),
                400, "ssoEnabled");
        assertProblem(api.send("PUT", "/v1/orgs/99/settings", SETTINGS), 404, null);
    }

    @Test
    void writesNeverTouchTheCaches() throws Exception {
        CacheKey key = DemoKeys.user(2, 170);
        api.get("/v1/orgs/2/users/170");
        assertEquals("L1", header(api.get("/v1/orgs/2/users/170"), "X-Cache"));

        HttpResponse<String> patched = api.send("PATCH", "/v1/orgs/2/users/170", "{\"displayName\":\"Renamed\"}");
        assertEquals(200, patched.statusCode(), patched.body());
        HttpResponse<String> cached = api.get("/v1/orgs/2/users/170");
        assertEquals("L1", header(cached, "X-Cache"));
        assertTrue(!cached.body().contains("Renamed"), "invalidation is the pipeline's job, not the write's");
        try (RedisProbe redis = new RedisProbe()) {
            assertTrue(redis.exists(keys.valueKey(key)), "the write left Redis alone");
        }

        invalidator.invalidate(List.of(key)).toCompletableFuture().get();
        HttpResponse<String> fresh = api.get("/v1/orgs/2/users/170");
        assertEquals("MISS", header(fresh, "X-Cache"));
        assertTrue(fresh.body().contains("Renamed"));
    }

    private HttpResponse<String> post(String path, String body) {
        return api.send("POST", path, body);
    }

    private void assertProblem(HttpResponse<String> response, int status, String field) throws IOException {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/problem+json", header(response, "Content-Type"), response.body());
        assertEquals(field, parse(response).get("field"), response.body());
    }

    private Map<String, Object> parse(HttpResponse<String> response) throws IOException {
        return json.readValue(response.body(), Argument.mapOf(String.class, Object.class));
    }
}
