package dev.commitcast.e2e;

import dev.commitcast.testsupport.DemoKeys;
import dev.commitcast.invalidator.apply.ApplyHooks;
import dev.commitcast.invalidator.apply.BatchInfo;
import dev.commitcast.invalidator.apply.SimulatedCrash;
import dev.commitcast.cli.ServiceProcess;
import dev.commitcast.core.CacheKey;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import dev.commitcast.devstack.DevStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Crashes and faults: nothing committed to Postgres is ever lost on its way to the caches, whatever fails in
 * between. Each test leaves the platform running normally for the next.
 */
class FaultsIT {
    private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(30);
    private static Platform platform;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> properties = new HashMap<>(EndToEndIT.LONG_TTLS);
        properties.put("commitcast.staleness.budget", "3s");
        platform = Platform.start("faults", 2, properties);
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    /*
     * The next two tests abort the in-process invalidator with an exception thrown from its apply hooks at an exact
     * point: deterministic, but the consumer then closes cleanly, unlike a real crash. A real SIGKILL of an
     * invalidator process is invalidatorProcessKilledWithSigkillWhileChangesFlowLosesNothing.
     */

    @Test
    void invalidatorAbortedAfterTheRedisDeleteButBeforeTheCommitLosesNothing() throws Exception {
        long user = Platform.DATA.userId(1, 7);
        crashOnceThenRecover(user, "after-delete", new CrashOnce(DemoKeys.user(1, user)) {
            @Override
            public void afterDelete(BatchInfo batch) {
                crashIfTargeted(batch, "after delete, before broadcast and commit");
            }
        });
    }

    @Test
    void invalidatorAbortedBeforeTheRedisDeleteLosesNothing() throws Exception {
        long user = Platform.DATA.userId(1, 8);
        crashOnceThenRecover(user, "before-delete", new CrashOnce(DemoKeys.user(1, user)) {
            @Override
            public void beforeDelete(BatchInfo batch) {
                crashIfTargeted(batch, "before delete");
            }
        });
    }

    private void crashOnceThenRecover(long user, String label, CrashOnce hooks) throws Exception {
        String path = "/v1/orgs/1/users/" + user;
        EndToEndIT.warmL1(platform, path);
        platform.stopInvalidator();
        platform.startInvalidator(hooks);

        platform.commit("update users set display_name = 'Crash " + label + "' where id = " + user);
        assertTrue(platform.invalidator().awaitTermination(VISIBLE_WITHIN), "the hook crashed the invalidator");
        assertTrue(hooks.crashed.get());

        platform.startInvalidator(ApplyHooks.NONE);
        for (Api api : platform.apis()) {
            Wait.until(api + " shows the change after the invalidator restarted", VISIBLE_WITHIN,
                    () -> api.get(path), r -> r.trusted() && r.body().contains("Crash " + label));
        }
    }

    /**
     * A real crash: an invalidator JVM is killed with SIGKILL while SQL changes stream through it (wherever it is in
     * a batch: between a Redis delete, its broadcast and its offset commit), and a new one takes over its consumer
     * group. Every change made before, during and after the kill ends up served by both instances from trusted
     * caches.
     */
    @Test
    void invalidatorProcessKilledWithSigkillWhileChangesFlowLosesNothing() throws Exception {
        int org = 3;
        List<String> paths = new ArrayList<>();
        List<Long> users = new ArrayList<>();
        for (int i = 10; i < 16; i++) {
            long user = Platform.DATA.userId(org, i);
            users.add(user);
            paths.add("/v1/orgs/" + org + "/users/" + user);
        }
        for (String path : paths) {
            EndToEndIT.warmL1(platform, path);
        }
        platform.stopInvalidator();
        ServiceProcess first = platform.startInvalidatorProcess("invalidator-killed");
        ServiceProcess second = null;
        try {
            int rounds = 60;
            for (int round = 1; round <= rounds; round++) {
                for (long user : users) {
                    platform.commit("update users set display_name = 'Sigkill " + round + "' where id = " + user);
                }
                if (round == rounds / 2) {
                    first.kill(); // mid-stream: the invalidator is busy with the changes just committed
                    assertFalse(first.isAlive());
                }
            }
            second = platform.startInvalidatorProcess("invalidator-after-kill");
            for (Api api : platform.apis()) {
                for (String path : paths) {
                    Wait.until(api + " serves the last change of " + path + " after the kill", VISIBLE_WITHIN,
                            () -> api.get(path), r -> r.trusted() && r.body().contains("Sigkill " + rounds + "\""));
                }
            }
        } finally {
            first.kill();
            if (second != null) {
                second.stop();
            }
            platform.startInvalidator(ApplyHooks.NONE);
        }
    }

    @Test
    void connectorRestartResumesFromItsOffsetAndLosesNothing() throws Exception {
        long user = Platform.DATA.userId(2, 9);
        String path = "/v1/orgs/2/users/" + user;
        EndToEndIT.warmL1(platform, path);

        platform.stopConnector();
        platform.commit("update users set display_name = 'While The Connector Was Down' where id = " + user);
        platform.startConnector();

        for (Api api : platform.apis()) {
            Wait.until(api + " shows the change made while the connector was down", VISIBLE_WITHIN,
                    () -> api.get(path), r -> r.trusted() && r.body().contains("While The Connector Was Down"));
        }
    }

    /**
     * Issue 10.1 as an operator tried it: stop the connector, drop its slot, change a cached row, start the
     * connector. The change is never streamed (no slot existed when it committed); before, the connector retried
     * forever and the API bypassed its caches forever. Now the connector writes a continuity reset, the invalidator
     * invalidates everything, and both instances serve the new value from trusted caches again.
     */
    @Test
    void aSlotDroppedWhileTheConnectorWasDownIsAnsweredByInvalidatingEverythingAndTheCachesRecover()
            throws Exception {
        long user = Platform.DATA.userId(2, 7);
        String path = "/v1/orgs/2/users/" + user;
        EndToEndIT.warmL1(platform, path);

        platform.stopConnector();
        platform.commit("select pg_drop_replication_slot('" + platform.slot() + "')");
        platform.commit("update users set display_name = 'Lost With The Slot' where id = " + user);
        platform.startConnector();

        for (Api api : platform.apis()) {
            Wait.until(api + " serves the change from trusted caches", VISIBLE_WITHIN, () -> api.get(path),
                    r -> r.trusted() && r.body().contains("Lost With The Slot"));
            Wait.until(api + " caches it again", VISIBLE_WITHIN, () -> api.get(path),
                    r -> "L1".equals(r.cache()) && r.body().contains("Lost With The Slot"));
        }
        assertTrue(platform.invalidatorCounter("commitcast.invalidator.continuity.resets") >= 1,
                "the invalidator acted on the reset");
    }

    /**
     * Issue 10.2: a Redis that restarts from its RDB file comes back with values (and leases) deleted since. Fill,
     * SAVE, change the row (the pipeline deletes the value), restart Redis from the dump: the old value is back in
     * Redis, but no instance serves it — each stops trusting L2 when its connection drops and trusts it again only
     * once the invalidator has invalidated everything on the new server (another run_id).
     */
    @Test
    void aRedisRestartedFromAnOldDumpNeverServesTheValuesDeletedSince() throws Exception {
        long user = Platform.DATA.userId(3, 4);
        String path = "/v1/orgs/3/users/" + user;
        platform.commit("update users set display_name = 'Before The Dump' where id = " + user);
        for (Api api : platform.apis()) {
            Wait.until(api + " caches the value in L1", VISIBLE_WITHIN, () -> api.get(path),
                    r -> "L1".equals(r.cache()) && r.body().contains("Before The Dump"));
        }
        platform.redis().sync().save();

        platform.commit("update users set display_name = 'Changed After The Dump' where id = " + user);
        for (Api api : platform.apis()) {
            Wait.until(api + " shows the change", VISIBLE_WITHIN, () -> api.get(path),
                    r -> r.body().contains("Changed After The Dump"));
        }
        platform.restartRedis();
        byte[] loaded = platform.redis().sync().get(platform.keySpace().valueKey(DemoKeys.user(3, user))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(loaded != null && new String(loaded, java.nio.charset.StandardCharsets.ISO_8859_1)
                .contains("Before The Dump"), "the restarted Redis loaded the old value from the dump");

        // Every read from now on: never the old value; and the caches are trusted again by themselves.
        long trustedBy = System.nanoTime() + VISIBLE_WITHIN.toNanos();
        int trustedReads = 0;
        while (trustedReads < 10) {
            for (Api api : platform.apis()) {
                Api.Reply reply = api.get(path);
                assertTrue(reply.body().contains("Changed After The Dump"), api + " served " + reply.cache()
                        + ": " + reply.body());
                trustedReads += reply.trusted() ? 1 : 0;
            }
            assertTrue(System.nanoTime() < trustedBy, "caches trusted again within " + VISIBLE_WITHIN);
            Thread.sleep(20);
        }
        platform.redis().sync().save(); // a later restart in this JVM loads today's data, not the old dump
    }

    @Test
    void anInstanceCutOffFromTheBroadcastFlushesItsL1WhenItReconnects() throws Exception {
        String path = "/v1/orgs/2/settings";
        EndToEndIT.warmL1(platform, path);
        double lossesBefore = platform.api(0).metric("commitcast_broadcast_subscription_losses_total");

        // Kill every pub/sub connection: each instance may have missed broadcasts while it reconnects.
        platform.redis().sync().clientKill(io.lettuce.core.KillArgs.Builder.typePubsub());

        for (Api api : platform.apis()) {
            Wait.until(api + " counts the lost subscription", VISIBLE_WITHIN,
                    () -> api.metric("commitcast_broadcast_subscription_losses_total"), n -> n > 0);
        }
        assertTrue(platform.api(0).metric("commitcast_broadcast_subscription_losses_total") > lossesBefore);
        for (Api api : platform.apis()) {
            Api.Reply reply = api.get(path);
            assertEquals(200, reply.status());
            assertTrue(!"L1".equals(reply.cache()), api + " flushed its L1 after reconnecting, but answered "
                    + reply.cache());
        }
    }

    @Test
    void whenThePipelineFallsBehindTheBudgetTheApiStopsTrustingItsCachesAndRecovers() throws Exception {
        String path = "/v1/orgs/3/roles";
        EndToEndIT.warmL1(platform, path);

        platform.stopInvalidator();
        for (Api api : platform.apis()) {
            Wait.until(api + " bypasses its caches once the 3 s budget is exceeded", VISIBLE_WITHIN,
                    () -> api.get(path), r -> r.status() == 200 && "BYPASS".equals(r.cache()));
        }
        platform.commit("update roles set description = 'changed while degraded' where org_id = 3 and id = "
                + Platform.DATA.roleId(3, 0));
        assertTrue(platform.api(0).get(path).body().contains("changed while degraded"),
                "served from Postgres while degraded");

        platform.startInvalidator(ApplyHooks.NONE);
        for (Api api : platform.apis()) {
            Wait.until(api + " trusts its caches again", VISIBLE_WITHIN, () -> api.get(path),
                    r -> !"BYPASS".equals(r.cache()) && r.body().contains("changed while degraded"));
        }
    }

    @Test
    void aMalformedEventGoesToTheDeadLetterTopicAfterANamespaceBust() throws Exception {
        long user = Platform.DATA.userId(4, 2);
        String path = "/v1/orgs/4/users/" + user;
        EndToEndIT.warmL1(platform, path);
        String bootstrap = DevStack.shared().kafka().bootstrapServers();
        String topic = platform.topicPrefix() + ".public.users";

        Properties producerProps = new Properties();
        producerProps.put("bootstrap.servers", bootstrap);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps, new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "{\"id\":1}", "{this is not json")).get();
        }

        for (Api api : platform.apis()) {
            Wait.until(api + " drops its users after the over-invalidation", VISIBLE_WITHIN, () -> api.get(path),
                    r -> r.trusted() && r.status() == 200 && !"L1".equals(r.cache()));
        }
        Properties consumerProps = new Properties();
        consumerProps.put("bootstrap.servers", bootstrap);
        consumerProps.put("group.id", "e2e-dlq-reader-" + System.nanoTime());
        consumerProps.put("auto.offset.reset", "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(platform.topicPrefix() + ".dlq"));
            ConsumerRecord<String, String> dead = Wait.until("a dead letter", VISIBLE_WITHIN, () -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if ("{this is not json".equals(record.value())) {
                        return record;
                    }
                }
                return null;
            }, r -> r != null);
            assertNotNull(dead.headers().lastHeader(errorHeader(dead)), "the error travels with the dead letter");
        }
    }

    private static String errorHeader(ConsumerRecord<String, String> record) {
        for (var header : record.headers()) {
            String value = new String(header.value(), StandardCharsets.UTF_8).toLowerCase(java.util.Locale.ROOT);
            if (header.key().toLowerCase(java.util.Locale.ROOT).contains("error") && !value.isBlank()) {
                return header.key();
            }
        }
        throw new AssertionError("no error header among " + record.headers());
    }

    /**
     * Hooks that crash the invalidator once, at the point a subclass picks, in the batch that carries the test's
     * change (batches of watermark markers alone pass).
     */
    private abstract static class CrashOnce implements ApplyHooks {
        final AtomicBoolean crashed = new AtomicBoolean();
        private final CacheKey target;

        CrashOnce(CacheKey target) {
            this.target = target;
        }

        void crashIfTargeted(BatchInfo batch, String where) {
            if (batch.invalidation().keys().contains(target) && crashed.compareAndSet(false, true)) {
                throw new SimulatedCrash("e2e: invalidator killed " + where);
            }
        }
    }
}
