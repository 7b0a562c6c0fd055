package dev.commitcast.api.cache;

import dev.commitcast.client.FillHooks;
import dev.commitcast.testsupport.DemoKeys;
import dev.commitcast.client.MicrometerStatsCounter;
import dev.commitcast.client.StatsCounter;
import dev.commitcast.api.support.Api;
import dev.commitcast.api.support.ApiTestSupport;
import dev.commitcast.api.support.LatchHooks;
import dev.commitcast.api.support.Wait;
import dev.commitcast.core.CacheKey;
import dev.commitcast.core.KeyKind;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.annotation.MockBean;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** 100 concurrent misses of one key cost one Postgres read; the other 99 join it and are counted. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SingleFlightIT extends ApiTestSupport {

    private static final int REQUESTS = 100;

    private final LatchHooks hooks = new LatchHooks();

    @Inject
    EmbeddedServer server;
    @Inject
    MicrometerStatsCounter metrics;

    @MockBean(FillHooks.class)
    FillHooks hooks() {
        return hooks;
    }

    @Test
    void concurrentMissesOfOneKeyShareOneDatabaseRead() {
        CacheKey key = DemoKeys.user(3, 305);
        Api api = new Api(server.getURI());
        long joinsBefore = metrics.joins(DemoKeys.user(1, 1).kind());
        LatchHooks.Gate leader = hooks.arm(LatchHooks.Step.BEFORE_DATABASE_READ, key);

        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            responses.add(api.getAsync("/v1/orgs/3/users/305"));
        }
        leader.awaitArrival();
        Wait.until("the other " + (REQUESTS - 1) + " requests joined the in-flight read",
                () -> metrics.joins(DemoKeys.user(1, 1).kind()) - joinsBefore == REQUESTS - 1);
        leader.release();

        Set<String> bodies = new HashSet<>();
        for (CompletableFuture<HttpResponse<String>> response : responses) {
            HttpResponse<String> answer = response.join();
            assertEquals(200, answer.statusCode(), answer.body());
            bodies.add(answer.body());
        }
        assertEquals(1, bodies.size(), "every request got the one value read");
        assertEquals(1, hooks.databaseReads(key), "one Postgres read for " + REQUESTS + " misses");
        assertEquals(REQUESTS - 1, metrics.joins(DemoKeys.user(1, 1).kind()) - joinsBefore);
        assertEquals("L1", Api.header(api.get("/v1/orgs/3/users/305"), "X-Cache"));
    }
}
