package dev.commitcast.cli;

import com.sun.net.httpserver.HttpServer;
import dev.commitcast.core.Rules;
import dev.commitcast.devstack.DevStack;
import dev.commitcast.devstack.PostgresEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code up}'s pipeline check against a real Postgres: which row it updates, and what it reports when a stage of the
 * pipeline does not follow. The services are stood in for by their {@code /metrics} (the counts the check reads);
 * CommitcastUpDownIT runs the check against the real ones.
 */
class PipelineCheckIT {
    private static final Rules RULES = Rules.parse("""
            keyspace: { prefix: pc, version: 1 }
            kinds:
              item: { key: "item:{id}", parts: { id: bigint }, ttl: 1m }
              tag: { key: "tag:{tag}", parts: { tag: text }, ttl: 1m }
            tables:
              public.pc_empty:
                invalidate: [ { kind: item, bind: { id: id } } ]
              public.pc_tags:
                invalidate: [ { kind: tag, bind: { tag: "Tag Name" } } ]
            """, "pipeline-check.yml");

    private Connection connection;
    private HttpServer invalidator;
    private HttpServer api;
    private final AtomicReference<String> invalidatorMetrics = new AtomicReference<>("");
    private final AtomicReference<String> apiMetrics = new AtomicReference<>("");

    @BeforeEach
    void database() throws Exception {
        PostgresEndpoint pg = DevStack.shared().postgres();
        connection = pg.connect(pg.createDatabase("pipeline_check"));
        try (Statement s = connection.createStatement()) {
            s.execute("create table pc_empty (id bigint primary key)");
            s.execute("create table pc_tags (id bigint primary key, \"Tag Name\" text)");
            s.execute("create table pc_updates (n int)");
            s.execute("insert into pc_updates values (0)");
            s.execute("create function pc_count() returns trigger language plpgsql as $$ begin "
                    + "update pc_updates set n = n + 1; return new; end $$");
            s.execute("create trigger pc_tags_count before update on pc_tags for each row execute function pc_count()");
        }
        invalidator = serve(invalidatorMetrics);
        api = serve(apiMetrics);
    }

    @AfterEach
    void close() throws Exception {
        connection.close();
        invalidator.stop(0);
        api.stop(0);
    }

    @Test
    void updatesOneRowOfTheFirstRulesTableThatHasOneAndSkipsWhenNoneHas() throws Exception {
        assertEquals(Optional.empty(), PipelineCheck.updateOneRow(connection, RULES));
        try (Statement s = connection.createStatement()) {
            s.execute("insert into pc_tags values (1, 'a'), (2, 'b')");
        }
        assertEquals(Optional.of("public.pc_tags"), PipelineCheck.updateOneRow(connection, RULES));
        assertEquals(1, updates(), "one row, once");
        assertEquals(List.of("a", "b"), tags(), "set to itself: the values are unchanged");
    }

    @Test
    void namesTheStageThatDidNotFollow() throws Exception {
        try (Statement s = connection.createStatement()) {
            s.execute("insert into pc_tags values (1, 'a')");
        }
        invalidatorMetrics.set(broadcasts(3));
        apiMetrics.set(applied(5));
        PipelineCheck check = new PipelineCheck(List.of(url(invalidator)), List.of(url(api)));

        String noBroadcast = check.run(connection, RULES, Duration.ofMillis(500));
        assertTrue(noBroadcast.startsWith("warning: pipeline check: a no-op update of one row of public.pc_tags was "
                + "committed, but no invalidator broadcast its eviction"), noBroadcast);

        // the invalidator follows once the check's update is committed; the api-service does not
        Thread bump = afterUpdate(2, () -> invalidatorMetrics.set(broadcasts(4)));
        String notApplied = check.run(connection, RULES, Duration.ofSeconds(2));
        bump.join();
        assertTrue(notApplied.startsWith("warning: pipeline check: a no-op update of one row of public.pc_tags was "
                + "broadcast, but " + url(api) + " applied no eviction"), notApplied);

        bump = afterUpdate(3, () -> {
            invalidatorMetrics.set(broadcasts(5));
            apiMetrics.set(applied(6));
        });
        String through = check.run(connection, RULES, Duration.ofSeconds(5));
        bump.join();
        assertTrue(through.matches("pipeline check: a no-op update of one row of public.pc_tags went through "
                + "\\(evictions applied by 1 api-services\\) in \\d+ ms"), through);
        assertEquals(3, updates(), "each run committed its update");
    }

    private static String broadcasts(int count) {
        return "# TYPE " + PipelineCheck.BROADCAST_COUNT + " counter\n" + PipelineCheck.BROADCAST_COUNT + " " + count
                + ".0\n";
    }

    private static String applied(int count) {
        return PipelineCheck.MESSAGES + "{outcome=\"heartbeat\"} 100.0\n" + PipelineCheck.MESSAGES
                + "{outcome=\"applied\"} " + count + ".0\n";
    }

    private int updates() throws Exception {
        return updates(connection);
    }

    private static int updates(Connection on) throws java.sql.SQLException {
        try (Statement s = on.createStatement(); ResultSet rs = s.executeQuery("select n from pc_updates")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private List<String> tags() throws Exception {
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("select \"Tag Name\" from pc_tags order by id")) {
            List<String> tags = new java.util.ArrayList<>();
            while (rs.next()) {
                tags.add(rs.getString(1));
            }
            return tags;
        }
    }

    private static HttpServer serve(AtomicReference<String> metrics) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/metrics", exchange -> {
            byte[] body = metrics.get().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static URI url(HttpServer server) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * Runs {@code follow} once the check has committed its {@code n}-th update, as the pipeline would: the counts the
     * check reads before its update must not have moved yet.
     */
    private Thread afterUpdate(int n, Runnable follow) {
        PostgresEndpoint pg = DevStack.shared().postgres();
        String url = connectionUrl();
        return Thread.ofVirtual().start(() -> {
            try (Connection watcher = java.sql.DriverManager.getConnection(url, pg.user(), pg.password())) {
                await("update " + n + " committed").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                        .until(() -> updates(watcher) >= n);
                follow.run();
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private String connectionUrl() {
        try {
            return connection.getMetaData().getURL();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
