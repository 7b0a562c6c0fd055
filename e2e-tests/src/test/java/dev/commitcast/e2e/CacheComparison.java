package dev.commitcast.e2e;

import dev.commitcast.api.http.CachedValue;
import dev.commitcast.api.http.CachedValueCodec;
import dev.commitcast.api.http.PageIndex;
import dev.commitcast.client.ValueEnvelope;
import dev.commitcast.core.CacheKey;
import dev.commitcast.core.KeySpace;
import dev.commitcast.testsupport.DemoKeys;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The end check of the consistency and soak tests: every answer of the platform's API instances, and every value
 * Redis holds, against "Postgres" — an api-service instance with its caches switched off, so answers compare byte
 * for byte.
 */
final class CacheComparison {
    private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");

    private CacheComparison() {
    }

    /** Every path of the first {@code orgs} organisations' data, with the cache key it is stored under. */
    static Map<String, CacheKey> hotPaths(int orgs, int usersPerOrg, int rolesPerOrg) {
        Map<String, CacheKey> paths = new LinkedHashMap<>();
        for (long org = 1; org <= orgs; org++) {
            paths.put("/v1/orgs/" + org + "/settings", DemoKeys.settings(org));
            paths.put("/v1/orgs/" + org + "/roles", DemoKeys.roles(org));
            paths.put("/v1/orgs/" + org + "/users?limit=100", DemoKeys.userList(org));
            for (int r = 0; r < rolesPerOrg; r++) {
                long role = Platform.DATA.roleId(org, r);
                paths.put("/v1/orgs/" + org + "/roles/" + role + "/permissions", DemoKeys.rolePermissions(org, role));
            }
            // users of every org, under every org: users move between them, so 404s are part of the picture
            for (long owner = 1; owner <= orgs; owner++) {
                for (int u = 0; u < usersPerOrg; u++) {
                    long user = Platform.DATA.userId(owner, u);
                    paths.put("/v1/orgs/" + org + "/users/" + user, DemoKeys.user(org, user));
                }
            }
        }
        return paths;
    }

    /**
     * What differs from Postgres in {@code instances} (answers) and the platform's Redis (values): one line per stale
     * (or untrusted) answer or Redis value; empty is the pass.
     */
    static List<String> stale(Platform platform, List<Api> instances, Api truth, Map<String, CacheKey> paths) {
        List<String> stale = new ArrayList<>();
        KeySpace keySpace = platform.keySpace();
        for (Map.Entry<String, CacheKey> entry : paths.entrySet()) {
            Api.Reply expected = truth.get(entry.getKey());
            for (Api api : instances) {
                Api.Reply actual = api.get(entry.getKey());
                if (!actual.trusted() || actual.status() != expected.status()
                        || !actual.body().equals(expected.body())) {
                    stale.add(api + " " + entry.getKey() + " [" + actual.cache() + "] " + actual.status() + " "
                            + abbreviate(actual.body()) + " != " + expected.status() + " " + abbreviate(expected.body()));
                }
            }
            String redisProblem = compareRedis(platform, keySpace, entry.getValue(), expected);
            if (redisProblem != null) {
                stale.add("redis " + keySpace.valueKey(entry.getValue()) + ": " + redisProblem);
            }
        }
        return stale;
    }

    /** Null when Redis holds no value or the same answer as Postgres; otherwise what differs. */
    private static String compareRedis(Platform platform, KeySpace keySpace, CacheKey key, Api.Reply expected) {
        byte[] raw = platform.redisValue(keySpace.valueKey(key));
        if (raw == null) {
            return null;
        }
        CachedValue value = ValueEnvelope.decode(raw, CachedValueCodec.INSTANCE);
        int status = value != null ? 200 : 404;
        if (status != expected.status()) {
            return "holds " + status + ", Postgres says " + expected.status();
        }
        if (value == null) {
            return null;
        }
        if (value.page() != null) {
            List<Long> cached = new ArrayList<>();
            PageIndex page = value.page();
            for (int i = 0; i < page.size(); i++) {
                cached.add(page.itemId(i));
            }
            List<Long> truthIds = ids(expected.body());
            return cached.equals(truthIds) ? null : "page ids " + cached + " != " + truthIds;
        }
        String body = new String(value.body(), StandardCharsets.UTF_8);
        return body.equals(expected.body()) ? null
                : abbreviate(body) + " != " + abbreviate(expected.body());
    }

    static String abbreviate(String body) {
        return body.length() <= 300 ? body : body.substring(0, 300) + "...(" + body.length() + " chars)";
    }

    private static List<Long> ids(String json) {
        List<Long> ids = new ArrayList<>();
        Matcher matcher = ID.matcher(json);
        while (matcher.find()) {
            ids.add(Long.parseLong(matcher.group(1)));
        }
        return ids;
    }
}
