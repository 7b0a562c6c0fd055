package dev.commitcast.e2e.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.commitcast.cli.ServiceProcess;
import dev.commitcast.devstack.DevStack;
import dev.commitcast.devstack.DevStackOptions;
import dev.commitcast.devstack.PostgresEndpoint;
import dev.commitcast.schema.DemoDataGenerator;
import dev.commitcast.schema.DemoDataSpec;
import dev.commitcast.schema.Migrations;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Baselines in the same harness (issue 13.4): one workload against the same api-service in several configurations,
 * each on its own copy of the same database, reporting hit rate, Postgres load, read latency and stale reads.
 *
 * <p>Configurations (arguments; default {@code ttl bust commitcast commitcast-long-ttl}):
 * <ul>
 *   <li>{@code ttl}: TTL only: no connector or invalidator, {@code commitcast.staleness.enabled=false}, the demo
 *       rules file's TTLs;</li>
 *   <li>{@code bust}: as {@code ttl} plus {@code commitcast.cache.bust-on-write=true}: each write endpoint deletes its
 *       row's keys (Redis and its own L1) after the commit;</li>
 *   <li>{@code commitcast}: the whole pipeline (cdc-connector and invalidator as their own JVMs, as
 *       {@code ./commitcast up} runs them), the same TTLs, the staleness guard on;</li>
 *   <li>{@code commitcast-long-ttl}: as {@code commitcast} with the TTLs the rules file recommends once the pipeline
 *       is trusted (1 h for settings, roles and permissions, 10 min for users and the first user page).</li>
 * </ul>
 *
 * <p>Workload, identical for each: two api-service instances; readers at a fixed total rate alternate between them,
 * 60 % users, 25 % role permissions, 15 % an organisation's roles, each drawn from Zipf(0.99) over its population
 * (ranks mapped to rows by a fixed shuffle, so hot rows are spread over organisations). Writers, on rows drawn from
 * the same distributions: through the API ({@code PATCH} a user's name, {@code PUT} a role's description,
 * {@code PUT} a permission grant), alternating instances; with plain SQL, as another service would (single-row
 * updates of the same columns, permission inserts); and a migration-style bulk {@code UPDATE} of every user and role
 * of one organisation at a fixed interval.
 *
 * <p>Staleness: every write stores a new token ({@code v<n>} in {@code users.display_name} and
 * {@code roles.description}, a granted permission {@code bench.v<n>}), from one counter, while the writer holds a
 * lock on the row (a bulk update: on its organisation), so per row tokens grow in commit order. Per row the driver
 * keeps each token and when its commit was confirmed (SQL: {@code COMMIT} returned; API: the 2xx arrived). A read
 * that returns token {@code t} of a row saw a superseded value if a token newer than {@code t} was confirmed before
 * the read was sent; it is <em>stale</em> when that was more than 1 s before, and its staleness is the time from that
 * confirmation to the read's start. A roles list is checked role by role (its staleness is the largest), a
 * permission list by its largest token. Measured reads are those sent in the measuring window, after a warm-up.
 * "Fresh hits" are the reads answered from a cache ({@code X-Cache} L1 or L2) with a value not stale by more than 1 s.
 *
 * <p>Run: {@code benchmarks/baselines/run.sh}. System properties: {@code bench.seconds} (60), {@code bench.warmup}
 * (15), {@code bench.read-rate} (reads/s over both instances, 400), {@code bench.readers} (8),
 * {@code bench.api-write-rate} (20), {@code bench.sql-write-rate} (20), {@code bench.bulk-every} (s, 10),
 * {@code bench.orgs} (100), {@code bench.users-per-org} (1000), {@code bench.root} (the repository), {@code bench.out}
 * (a file for the markdown table).
 */
public final class BaselinesBenchmark {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long STALE_AFTER = SECOND;
    private static final double ZIPF_S = 0.99;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Pattern DISPLAY_NAME = Pattern.compile("\"displayName\":\"([^\"]*)\"");
    private static final Pattern PERMISSION_TOKEN = Pattern.compile("bench\\.v(\\d+)");
    private static final Pattern TOKEN = Pattern.compile("v(\\d+)");
    private static final Pattern PIPELINE_BUCKET = Pattern.compile(
            "^commitcast_invalidator_commit_to_broadcast_seconds_bucket\\{.*le=\"([^\"]+)\".*} ([0-9.eE+]+)$");
    private static final Pattern DB_QUERY_COUNT = Pattern.compile(
            "^commitcast_db_query_seconds_count\\{.*op=\"([a-z_]+)\".*} ([0-9.eE+]+)$");
    private static final List<String> READ_OPS = List.of("settings", "roles", "role_permissions", "user", "user_list",
            "user_page");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final int USER = 1;
    private static final int ROLE = 2;
    private static final int PERMS = 3;

    private final Path root = Path.of(System.getProperty("bench.root", ".")).toAbsolutePath().normalize();
    private final long measureSeconds = Long.getLong("bench.seconds", 60);
    private final long warmupSeconds = Long.getLong("bench.warmup", 15);
    private final int readRate = Integer.getInteger("bench.read-rate", 400);
    private final int readers = Integer.getInteger("bench.readers", 8);
    private final int apiWriteRate = Integer.getInteger("bench.api-write-rate", 20);
    private final int sqlWriteRate = Integer.getInteger("bench.sql-write-rate", 20);
    private final long bulkEverySeconds = Long.getLong("bench.bulk-every", 10);
    private final DemoDataSpec spec = new DemoDataSpec(Integer.getInteger("bench.orgs", 100),
            Integer.getInteger("bench.users-per-org", 1000), DemoDataSpec.DEFAULT_ROLES_PER_ORG,
            DemoDataSpec.DEFAULT_PERMISSIONS_PER_ROLE, DemoDataSpec.DEFAULT_SEED);
    private final Path work;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private DevStack stack;
    private PostgresEndpoint pg;
    private String template;
    private Data data;

    /** One configuration of the same service. */
    private record Config(String name, String label, boolean pipeline, Map<String, String> apiProperties,
                          Path rules) {
    }

    private BaselinesBenchmark() throws IOException {
        work = Files.createTempDirectory("commitcast-baselines-");
        // Postgres runs as the postgres OS user when this is root: it must reach its data directory below this one
        Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    public static void main(String[] args) throws Exception {
        List<String> names = args.length == 0 ? List.of("ttl", "bust", "commitcast", "commitcast-long-ttl")
                : List.of(args);
        new BaselinesBenchmark().run(names);
        System.exit(0); // HTTP client and JDBC threads must not keep the JVM up
    }

    private void run(List<String> names) throws Exception {
        List<Config> configs = new ArrayList<>();
        for (String name : names) {
            configs.add(config(name));
        }
        System.out.printf(Locale.ROOT, "baselines: %d s measured after %d s warm-up per configuration; reads %,d/s "
                        + "(%d threads) over 2 api-service instances; writes: API %d/s, SQL %d/s, bulk UPDATE of one "
                        + "organisation every %d s; data %d orgs x %d users; %d cores; logs in %s%n",
                measureSeconds, warmupSeconds, readRate, readers, apiWriteRate, sqlWriteRate, bulkEverySeconds,
                spec.orgs(), spec.usersPerOrg(), Runtime.getRuntime().availableProcessors(), work);
        stack = DevStack.start(DevStackOptions.builder().workDir(work.resolve("stack")).build());
        List<Result> results = new ArrayList<>();
        try {
            pg = stack.postgres();
            prepareTemplate();
            for (Config config : configs) {
                Result result = runConfig(config);
                results.add(result);
                System.out.println(result.details());
            }
        } finally {
            stack.close();
            deleteServerData(work.resolve("stack"));
        }
        String table = table(results);
        System.out.println();
        System.out.println(table);
        String out = System.getProperty("bench.out");
        if (out != null && !out.isBlank()) {
            Files.writeString(Path.of(out), table);
        }
    }

    /** Deletes the stopped servers' data (half a gigabyte), keeping their logs next to the services' ones. */
    private static void deleteServerData(Path stackDir) {
        try (var files = Files.walk(stackDir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .filter(f -> !f.getFileName().toString().endsWith(".log"))
                    .forEach(f -> f.toFile().delete()); // a directory still holding a log stays
        } catch (IOException | RuntimeException e) {
            System.err.println("baselines: could not delete " + stackDir + ": " + e);
        }
    }

    private Config config(String name) throws IOException {
        Path demoRules = root.resolve("examples/orgs-demo/rules.yml");
        return switch (name) {
            case "ttl" -> new Config(name, "(a) TTL only", false,
                    Map.of("commitcast.staleness.enabled", "false"), demoRules);
            case "bust" -> new Config(name, "(b) bust-on-write", false,
                    Map.of("commitcast.staleness.enabled", "false", "commitcast.cache.bust-on-write", "true"),
                    demoRules);
            case "commitcast" -> new Config(name, "(c) Commitcast", true, Map.of(), demoRules);
            case "commitcast-long-ttl" -> new Config(name, "(c') Commitcast, long TTLs", true, Map.of(),
                    longTtlRules(demoRules));
            default -> throw new IllegalArgumentException("unknown configuration '" + name
                    + "'; known: ttl bust commitcast commitcast-long-ttl");
        };
    }

    /** The demo rules with the TTLs its comment recommends for a trusted pipeline (TTLs are not fingerprinted). */
    private Path longTtlRules(Path demoRules) throws IOException {
        String text = Files.readString(demoRules);
        Map<String, String> ttls = new LinkedHashMap<>();
        ttls.put("settings", "1h");
        ttls.put("roles", "1h");
        ttls.put("role_permissions", "1h");
        ttls.put("user", "10m");
        ttls.put("user_list", "10m");
        for (var entry : ttls.entrySet()) {
            Pattern kind = Pattern.compile("(?ms)(^  " + entry.getKey()
                    + ":[^\\n]*\\n(?:    [^\\n]*\\n)*?    ttl: )\\S+");
            Matcher m = kind.matcher(text);
            if (!m.find()) {
                throw new IllegalStateException("no ttl of kind " + entry.getKey() + " in " + demoRules);
            }
            text = m.replaceFirst("$1" + entry.getValue());
        }
        Path copy = work.resolve("rules-long-ttl.yml");
        Files.createDirectories(work);
        return Files.writeString(copy, text);
    }

    // ---------------------------------------------------------------------------------------------- data

    /** Loads the demo data once into a template database; each configuration runs on a copy of it. */
    private void prepareTemplate() throws SQLException {
        long started = System.nanoTime();
        template = pg.createDatabase("baselines_template");
        Migrations.apply(pg.jdbcUrl(template), pg.user(), pg.password());
        try (Connection c = pg.connect(template)) {
            DemoDataGenerator.load(c, spec, false);
            data = Data.load(c);
        }
        System.out.printf(Locale.ROOT, "data: %,d users, %,d roles in %d orgs, loaded in %.1f s%n", data.users.length,
                data.roles.length, data.orgs.length, (System.nanoTime() - started) / 1e9);
    }

    private String copyOfTemplate(String name) throws SQLException {
        String db = "baselines_" + name.replace('-', '_') + "_" + Long.toString(System.nanoTime() % 1_000_000, 36);
        try (Connection c = pg.connect(pg.database()); Statement s = c.createStatement()) {
            s.execute("create database " + db + " template " + template);
        }
        return db;
    }

    /** The rows the workload reads and writes, by index; ids from the database. */
    private static final class Data {
        long[] orgs;
        long[] users;
        int[] userOrg;      // index into orgs
        long[] roles;
        int[] roleOrg;
        String[] roleName;
        boolean[] roleSystem;
        int[][] usersOfOrg;
        int[][] rolesOfOrg;

        static Data load(Connection c) throws SQLException {
            Data d = new Data();
            Map<Long, Integer> orgIndex = new HashMap<>();
            List<Long> orgs = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select id from orgs order by id")) {
                while (rs.next()) {
                    orgIndex.put(rs.getLong(1), orgs.size());
                    orgs.add(rs.getLong(1));
                }
            }
            d.orgs = orgs.stream().mapToLong(Long::longValue).toArray();
            List<long[]> users = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select id, org_id from users order by id")) {
                while (rs.next()) {
                    users.add(new long[] {rs.getLong(1), orgIndex.get(rs.getLong(2))});
                }
            }
            d.users = users.stream().mapToLong(u -> u[0]).toArray();
            d.userOrg = users.stream().mapToInt(u -> (int) u[1]).toArray();
            List<Object[]> roles = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select id, org_id, name, is_system from roles order by id")) {
                while (rs.next()) {
                    roles.add(new Object[] {rs.getLong(1), orgIndex.get(rs.getLong(2)), rs.getString(3),
                            rs.getBoolean(4)});
                }
            }
            d.roles = roles.stream().mapToLong(r -> (Long) r[0]).toArray();
            d.roleOrg = roles.stream().mapToInt(r -> (Integer) r[1]).toArray();
            d.roleName = roles.stream().map(r -> (String) r[2]).toArray(String[]::new);
            d.roleSystem = new boolean[roles.size()];
            for (int i = 0; i < roles.size(); i++) {
                d.roleSystem[i] = (Boolean) roles.get(i)[3];
            }
            d.usersOfOrg = group(d.userOrg, d.orgs.length);
            d.rolesOfOrg = group(d.roleOrg, d.orgs.length);
            return d;
        }

        private static int[][] group(int[] orgOf, int orgCount) {
            List<List<Integer>> groups = new ArrayList<>();
            for (int i = 0; i < orgCount; i++) {
                groups.add(new ArrayList<>());
            }
            for (int i = 0; i < orgOf.length; i++) {
                groups.get(orgOf[i]).add(i);
            }
            return groups.stream().map(g -> g.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
        }
    }

    /** Zipf(s) over n items: rank by inverse CDF, mapped to an item index by a fixed shuffle. */
    private static final class Zipf {
        private final double[] cdf;
        private final int[] itemOfRank;

        Zipf(int n, long seed) {
            cdf = new double[n];
            double sum = 0;
            for (int k = 1; k <= n; k++) {
                sum += 1 / Math.pow(k, ZIPF_S);
                cdf[k - 1] = sum;
            }
            for (int k = 0; k < n; k++) {
                cdf[k] /= sum;
            }
            itemOfRank = new int[n];
            for (int i = 0; i < n; i++) {
                itemOfRank[i] = i;
            }
            Random random = new Random(seed);
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = itemOfRank[i];
                itemOfRank[i] = itemOfRank[j];
                itemOfRank[j] = t;
            }
        }

        int next(SplittableRandom random) {
            double u = random.nextDouble();
            int lo = 0;
            int hi = cdf.length - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (cdf[mid] < u) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return itemOfRank[lo];
        }
    }

    // ---------------------------------------------------------------------------------------------- versions

    /** Who wrote a version: through the API, with single-row SQL, or by a bulk update. */
    private static final int BY_API = 0;
    private static final int BY_SQL = 1;
    private static final int BY_BULK = 2;
    private static final List<String> WRITERS = List.of("API write", "SQL write", "bulk UPDATE");

    /** Per row: the tokens written, when each commit was confirmed and by which writer, in commit order. */
    private static final class History {
        private long[] tokens = new long[4];
        private long[] confirmed = new long[4];
        private byte[] writers = new byte[4];
        private int size;

        synchronized void add(long token, long confirmedNanos, int writer) {
            if (size == tokens.length) {
                tokens = java.util.Arrays.copyOf(tokens, size * 2);
                confirmed = java.util.Arrays.copyOf(confirmed, size * 2);
                writers = java.util.Arrays.copyOf(writers, size * 2);
            }
            tokens[size] = token;
            confirmed[size] = confirmedNanos;
            writers[size] = (byte) writer;
            size++;
        }

        /**
         * How long before {@code readStart} the first value newer than {@code token} was confirmed, in nanoseconds,
         * shifted left by 2 with its writer in the low 2 bits (so larger means older); -1 if none was confirmed.
         */
        synchronized long supersededFor(long token, long readStart) {
            for (int i = 0; i < size; i++) {
                if (tokens[i] > token) {
                    return confirmed[i] < readStart ? (readStart - confirmed[i]) << 2 | writers[i] : -1;
                }
            }
            return -1;
        }

        synchronized long last() {
            return size == 0 ? -1 : tokens[size - 1];
        }
    }

    // ---------------------------------------------------------------------------------------------- one run

    /** What one configuration measured. */
    private record Result(Config config, long reads, long readErrors, double seconds, double hitRate,
                          double freshHitRate, Map<String, Long> xCache, double pgXactsPerSecond,
                          double apiLoadsPerSecond,
                          double p50Ms, double p99Ms, double p999Ms, long stale, long superseded, long maxStaleNanos,
                          Map<Integer, long[]> staleByType, long apiWrites, long apiWriteFailures, long sqlWrites,
                          long bulkUpdates, long bulkRows, long bookkeepingMismatches,
                          List<String> workerFailures, double[] pipeline, String loadAverage, long[] staleBy) {

        String details() {
            StringBuilder b = new StringBuilder();
            b.append(String.format(Locale.ROOT, "%s: %,d reads in %.0f s (%,.0f/s, %d errors), X-Cache %s; "
                    + "load average at the end %s%n", config.label, reads, seconds, reads / seconds, readErrors, xCache,
                    loadAverage));
            b.append(String.format(Locale.ROOT, "  hit rate %.1f %% (reads answered from a cache with a value not "
                            + "stale > 1 s: %.1f %%), Postgres %,.0f xacts/s (without the SQL writers'), API loads "
                            + "from Postgres %,.0f/s, read p50 / p99 / p99.9 %.2f / %.2f / %.2f ms%n",
                    100 * hitRate, 100 * freshHitRate, pgXactsPerSecond, apiLoadsPerSecond, p50Ms, p99Ms, p999Ms));
            b.append(String.format(Locale.ROOT, "  stale > 1 s: %,d (%.3f %%), longest %.1f s; superseded at all "
                            + "(any age, includes invalidation latency): %,d%n", stale,
                    100.0 * stale / Math.max(1, reads), maxStaleNanos / 1e9, superseded));
            if (pipeline != null) {
                b.append(String.format(Locale.ROOT, "  pipeline commit -> L1 broadcast over the window (invalidator's "
                        + "histogram, bucket bounds): p50 <= %s, p99 <= %s, largest <= %s%n", bound(pipeline[0]),
                        bound(pipeline[1]), bound(pipeline[2])));
            }
            if (stale > 0) {
                b.append(String.format(Locale.ROOT, "  stale reads by the writer of the first newer value: %s %,d, "
                        + "%s %,d, %s %,d%n", WRITERS.get(BY_API), staleBy[BY_API], WRITERS.get(BY_SQL),
                        staleBy[BY_SQL], WRITERS.get(BY_BULK), staleBy[BY_BULK]));
            }
            staleByType.forEach((type, counts) -> b.append(String.format(Locale.ROOT,
                    "    %-16s %,8d reads, %,6d stale, %,6d superseded%n", typeName(type), counts[0], counts[1],
                    counts[2])));
            b.append(String.format(Locale.ROOT, "  writes in the window: API %,d (%d failed), SQL %,d, bulk %d "
                    + "(%,d rows); history vs Postgres at the end: %d mismatches", apiWrites, apiWriteFailures,
                    sqlWrites, bulkUpdates, bulkRows, bookkeepingMismatches));
            workerFailures.forEach(failure -> b.append(String.format("%n  WORKER FAILED (figures incomplete): %s",
                    failure)));
            return b.toString();
        }
    }

    private static String bound(double value) {
        return Double.isInfinite(value) ? "inf" : value < 1 ? String.format(Locale.ROOT, "%.0f ms", value * 1000)
                : String.format(Locale.ROOT, "%.1f s", value);
    }

    private static String typeName(int type) {
        return switch (type) {
            case USER -> "user";
            case ROLE -> "roles list";
            default -> "role permissions";
        };
    }

    private Result runConfig(Config config) throws Exception {
        System.out.printf("%n== %s ==%n", config.label);
        String db = copyOfTemplate(config.name);
        String suffix = Long.toString(System.nanoTime() & 0xffffff, 36);
        String keySpace = "bl-" + config.name + "-" + suffix;
        String slot = ("bl_" + config.name + "_" + suffix).replace('-', '_');
        String topicPrefix = "bl-" + config.name + "-" + suffix;
        Path logs = work.resolve("logs");
        List<ServiceProcess> pipeline = new ArrayList<>();
        List<ServiceProcess> apis = new ArrayList<>();
        try {
            Map<String, String> env = new HashMap<>();
            env.put("COMMITCAST_PG_JDBC_URL", pg.jdbcUrl(db));
            env.put("COMMITCAST_PG_USER", pg.user());
            env.put("COMMITCAST_PG_PASSWORD", pg.password());
            env.put("COMMITCAST_REDIS_URL", stack.redis().uri());
            env.put("COMMITCAST_KAFKA_BOOTSTRAP", stack.kafka().bootstrapServers());
            env.put("COMMITCAST_RULES", config.rules.toString());
            env.put("COMMITCAST_KEY_SPACE", keySpace);
            if (config.pipeline) {
                Map<String, String> cdcEnv = new HashMap<>(env);
                cdcEnv.put("COMMITCAST_CDC_TOPIC_PREFIX", topicPrefix);
                cdcEnv.put("COMMITCAST_CDC_SLOT", slot);
                cdcEnv.put("COMMITCAST_CDC_DATA_DIR", work.resolve("cdc-" + config.name).toString());
                pipeline.add(ServiceProcess.start(root, "cdc-connector", config.name + "-cdc-connector",
                        "dev.commitcast.cdc.Application", freePort(), cdcEnv, List.of("-Xmx256m"), logs));
                pipeline.add(ServiceProcess.start(root, "invalidator", config.name + "-invalidator",
                        "dev.commitcast.invalidator.Application", freePort(), env, List.of("-Xmx256m",
                                "-Dcommitcast.key-space=" + keySpace,
                                "-Dcommitcast.invalidator.topic-prefix=" + topicPrefix,
                                "-Dcommitcast.invalidator.group-id=bl-" + config.name + "-" + suffix), logs));
            }
            List<String> apiJvm = new ArrayList<>(List.of("-Xmx256m"));
            config.apiProperties.forEach((key, value) -> apiJvm.add("-D" + key + "=" + value));
            for (int i = 1; i <= 2; i++) {
                apis.add(ServiceProcess.start(root, "api-service", config.name + "-api-" + i,
                        "dev.commitcast.api.Application", freePort(), env, apiJvm, logs));
            }
            long started = System.nanoTime();
            for (ServiceProcess process : pipeline) {
                process.awaitHealthy(START_TIMEOUT);
            }
            for (ServiceProcess api : apis) {
                api.awaitHealthy(START_TIMEOUT);
                if (config.pipeline) {
                    api.awaitCachesTrusted(Instant.now().plus(START_TIMEOUT)).ifPresent(last -> {
                        throw new IllegalStateException(api.name() + " does not trust its caches: " + last);
                    });
                }
            }
            System.out.printf(Locale.ROOT, "started in %.1f s (%s)%n", (System.nanoTime() - started) / 1e9,
                    config.pipeline ? "2 api-service, cdc-connector, invalidator" : "2 api-service, no pipeline");
            URI invalidator = config.pipeline ? pipeline.get(1).baseUrl() : null;
            return new Workload(config, db, apis.stream().map(ServiceProcess::baseUrl).toList(), invalidator).run();
        } finally {
            apis.forEach(ServiceProcess::stop);
            pipeline.reversed().forEach(ServiceProcess::stop);
            if (config.pipeline) {
                try (Connection c = pg.connect(db); Statement s = c.createStatement()) {
                    s.execute("select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = '"
                            + slot + "' and not active");
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The load of one configuration: readers, API and SQL writers, bulk updates, and what they saw. */
    private final class Workload {
        private final Config config;
        private final String db;
        private final List<URI> apis;
        private final URI invalidator;
        private final Zipf userZipf = new Zipf(data.users.length, 11);
        private final Zipf roleZipf = new Zipf(data.roles.length, 12);
        private final Zipf orgZipf = new Zipf(data.orgs.length, 13);
        private final ConcurrentHashMap<Long, History> histories = new ConcurrentHashMap<>();
        private final ReentrantReadWriteLock[] orgLocks;
        private final ReentrantLock[] rowLocks = new ReentrantLock[4096];
        private final AtomicLong tokens = new AtomicLong();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final List<ReaderStats> readerStats = new ArrayList<>();
        private final AtomicLong apiWrites = new AtomicLong();
        private final AtomicLong apiWriteFailures = new AtomicLong();
        private final AtomicLong sqlWrites = new AtomicLong();
        private final AtomicLong bulkUpdates = new AtomicLong();
        private final AtomicLong bulkRows = new AtomicLong();
        private final AtomicLong driverTransactions = new AtomicLong();
        private final java.util.Queue<String> workerFailures = new java.util.concurrent.ConcurrentLinkedQueue<>();
        private volatile long measureStart = Long.MAX_VALUE;
        private volatile long measureEnd = Long.MAX_VALUE;

        Workload(Config config, String db, List<URI> apis, URI invalidator) {
            this.config = config;
            this.db = db;
            this.apis = apis;
            this.invalidator = invalidator;
            orgLocks = new ReentrantReadWriteLock[data.orgs.length];
            for (int i = 0; i < orgLocks.length; i++) {
                orgLocks[i] = new ReentrantReadWriteLock();
            }
            for (int i = 0; i < rowLocks.length; i++) {
                rowLocks[i] = new ReentrantLock();
            }
        }

        Result run() throws Exception {
            List<Thread> threads = new ArrayList<>();
            long begin = System.nanoTime();
            long readInterval = SECOND / readRate;
            AtomicLong nextRead = new AtomicLong(begin);
            for (int i = 0; i < readers; i++) {
                ReaderStats stats = new ReaderStats();
                readerStats.add(stats);
                int id = i;
                threads.add(worker("reader-" + i).start(() -> read(stats, nextRead, readInterval, id)));
            }
            AtomicLong nextApiWrite = new AtomicLong(begin);
            for (int i = 0; i < 2; i++) {
                int id = i;
                threads.add(worker("api-writer-" + i).start(
                        () -> apiWrites(nextApiWrite, SECOND / apiWriteRate, id)));
            }
            threads.add(worker("sql-writer").start(() -> sqlWrites(SECOND / sqlWriteRate)));
            threads.add(worker("bulk-writer").start(this::bulkUpdates));

            Thread.sleep(TimeUnit.SECONDS.toMillis(warmupSeconds));
            Snapshot before = snapshot();
            long writesBefore = apiWrites.get();
            long failuresBefore = apiWriteFailures.get();
            long sqlBefore = sqlWrites.get();
            long bulkBefore = bulkUpdates.get();
            long bulkRowsBefore = bulkRows.get();
            long driverBefore = driverTransactions.get();
            measureStart = System.nanoTime();
            measureEnd = measureStart + TimeUnit.SECONDS.toNanos(measureSeconds);
            Thread.sleep(TimeUnit.SECONDS.toMillis(measureSeconds));
            Snapshot after = snapshot();
            String load = loadAverage();
            long driverDuring = driverTransactions.get() - driverBefore;
            stop.set(true);
            for (Thread thread : threads) {
                thread.join();
            }
            double seconds = (after.nanos - before.nanos) / 1e9;

            Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
            long reads = 0;
            long freshHits = 0;
            long errors = 0;
            long stale = 0;
            long superseded = 0;
            long maxStale = 0;
            long[] staleBy = new long[3];
            Map<String, Long> xCache = new java.util.TreeMap<>();
            Map<Integer, long[]> byType = new java.util.TreeMap<>();
            for (ReaderStats s : readerStats) {
                latency.add(s.latency);
                reads += s.reads;
                freshHits += s.freshHits;
                errors += s.errors;
                stale += s.stale;
                superseded += s.superseded;
                maxStale = Math.max(maxStale, s.maxStale);
                for (int i = 0; i < staleBy.length; i++) {
                    staleBy[i] += s.staleBy[i];
                }
                s.xCache.forEach((k, v) -> xCache.merge(k, v, Long::sum));
                s.byType.forEach((k, v) -> byType.merge(k, v.clone(), (a, b) -> {
                    for (int i = 0; i < a.length; i++) {
                        a[i] += b[i];
                    }
                    return a;
                }));
            }
            long hits = after.hits - before.hits;
            long lookups = after.lookups - before.lookups;
            double pgXacts = (after.pgXacts - before.pgXacts - driverDuring - 1) / seconds;
            return new Result(config, reads, errors, seconds, lookups == 0 ? 0 : (double) hits / lookups,
                    reads == 0 ? 0 : (double) freshHits / reads, xCache,
                    pgXacts, (after.apiLoads - before.apiLoads) / seconds, latency.getValueAtPercentile(50) / 1000.0,
                    latency.getValueAtPercentile(99) / 1000.0, latency.getValueAtPercentile(99.9) / 1000.0, stale,
                    superseded, maxStale, byType, apiWrites.get() - writesBefore,
                    apiWriteFailures.get() - failuresBefore, sqlWrites.get() - sqlBefore,
                    bulkUpdates.get() - bulkBefore, bulkRows.get() - bulkRowsBefore, bookkeepingMismatches(),
                    List.copyOf(workerFailures), pipelineLatency(before, after), load, staleBy);
        }

        private Thread.Builder worker(String name) {
            return Thread.ofPlatform().name(name).uncaughtExceptionHandler((thread, e) -> {
                workerFailures.add(thread.getName() + ": " + e);
                e.printStackTrace();
            });
        }

        // ------------------------------------------------------------------ reads

        private final class ReaderStats {
            final Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
            final Map<String, Long> xCache = new HashMap<>();
            final Map<Integer, long[]> byType = new HashMap<>(); // reads, stale, superseded
            final long[] staleBy = new long[3];
            long reads;
            long freshHits;
            long errors;
            long stale;
            long superseded;
            long maxStale;
        }

        private void read(ReaderStats stats, AtomicLong next, long interval, int id) {
            SplittableRandom random = new SplittableRandom(1000 + id);
            int calls = id;
            while (!stop.get()) {
                // the next slot of the fixed rate; when behind, now (no burst to catch up: the rate is not reached)
                long slot = next.accumulateAndGet(System.nanoTime(),
                        (previous, now) -> Math.max(previous + interval, now));
                long wait = slot - System.nanoTime();
                if (wait > 0) {
                    sleepNanos(wait);
                }
                double pick = random.nextDouble();
                int type = pick < 0.60 ? USER : pick < 0.85 ? PERMS : ROLE;
                URI api = apis.get(calls++ % apis.size());
                String path;
                int row;
                if (type == USER) {
                    row = userZipf.next(random);
                    path = "/v1/orgs/" + data.orgs[data.userOrg[row]] + "/users/" + data.users[row];
                } else if (type == PERMS) {
                    row = roleZipf.next(random);
                    path = "/v1/orgs/" + data.orgs[data.roleOrg[row]] + "/roles/" + data.roles[row] + "/permissions";
                } else {
                    row = orgZipf.next(random);
                    path = "/v1/orgs/" + data.orgs[row] + "/roles";
                }
                long start = System.nanoTime();
                boolean measured = start >= measureStart && start < measureEnd;
                HttpResponse<String> response;
                try {
                    response = http.send(HttpRequest.newBuilder(api.resolve(path)).timeout(Duration.ofSeconds(10))
                            .GET().build(), HttpResponse.BodyHandlers.ofString());
                } catch (IOException e) {
                    if (measured) {
                        stats.errors++;
                    }
                    continue;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                long end = System.nanoTime();
                if (!measured) {
                    continue;
                }
                if (response.statusCode() != 200) {
                    stats.errors++;
                    continue;
                }
                stats.reads++;
                stats.latency.recordValue(Math.min(TimeUnit.NANOSECONDS.toMicros(end - start),
                        stats.latency.getHighestTrackableValue()));
                String tier = response.headers().firstValue("X-Cache").orElse("-");
                stats.xCache.merge(tier, 1L, Long::sum);
                long superseded = staleness(type, row, response.body(), start);
                long age = superseded < 0 ? -1 : superseded >> 2;
                if ((tier.equals("L1") || tier.equals("L2")) && age <= STALE_AFTER) {
                    stats.freshHits++;
                }
                long[] counts = stats.byType.computeIfAbsent(type, t -> new long[3]);
                counts[0]++;
                if (age >= 0) {
                    stats.superseded++;
                    counts[2]++;
                    if (age > STALE_AFTER) {
                        stats.stale++;
                        stats.staleBy[(int) (superseded & 3)]++;
                        counts[1]++;
                        stats.maxStale = Math.max(stats.maxStale, age);
                    }
                }
            }
        }

        /**
         * How long a newer value had been confirmed when the read began (the largest over its rows), with the writer
         * of that value, as {@link History#supersededFor}; -1: fresh.
         */
        private long staleness(int type, int row, String body, long readStart) {
            if (type == USER) {
                Matcher m = DISPLAY_NAME.matcher(body);
                long token = m.find() ? token(m.group(1)) : -1;
                return supersededFor(key(USER, data.users[row]), token, readStart);
            }
            if (type == PERMS) {
                long token = -1;
                Matcher m = PERMISSION_TOKEN.matcher(body);
                while (m.find()) {
                    token = Math.max(token, Long.parseLong(m.group(1)));
                }
                return supersededFor(key(PERMS, data.roles[row]), token, readStart);
            }
            long worst = -1;
            try {
                for (JsonNode role : JSON.readTree(body).path("roles")) {
                    long token = token(role.path("description").asText(""));
                    worst = Math.max(worst, supersededFor(key(ROLE, role.path("id").asLong()), token, readStart));
                }
            } catch (IOException e) {
                throw new IllegalStateException("unreadable roles list: " + body, e);
            }
            return worst;
        }

        private long supersededFor(long key, long token, long readStart) {
            History history = histories.get(key);
            return history == null ? -1 : history.supersededFor(token, readStart);
        }

        // ------------------------------------------------------------------ writes

        private void apiWrites(AtomicLong next, long interval, int id) {
            SplittableRandom random = new SplittableRandom(2000 + id);
            int calls = id;
            while (!stop.get()) {
                long wait = next.accumulateAndGet(System.nanoTime(),
                        (previous, now) -> Math.max(previous + interval, now)) - System.nanoTime();
                if (wait > 0) {
                    sleepNanos(wait);
                }
                URI api = apis.get(calls++ % apis.size());
                double pick = random.nextDouble();
                if (pick < 0.5) {
                    int row = userZipf.next(random);
                    long user = data.users[row];
                    long org = data.orgs[data.userOrg[row]];
                    locked(data.userOrg[row], key(USER, user), BY_API, token -> api(api, "PATCH",
                            "/v1/orgs/" + org + "/users/" + user, "{\"displayName\":\"v" + token + "\"}"));
                } else if (pick < 0.75) {
                    int row = roleZipf.next(random);
                    long org = data.orgs[data.roleOrg[row]];
                    locked(data.roleOrg[row], key(ROLE, data.roles[row]), BY_API, token -> api(api, "PUT",
                            "/v1/orgs/" + org + "/roles/" + data.roles[row], "{\"name\":" + JSON.valueToTree(
                                    data.roleName[row]) + ",\"description\":\"v" + token + "\",\"system\":"
                                    + data.roleSystem[row] + "}"));
                } else {
                    int row = roleZipf.next(random);
                    long org = data.orgs[data.roleOrg[row]];
                    locked(data.roleOrg[row], key(PERMS, data.roles[row]), BY_API, token -> api(api, "PUT",
                            "/v1/orgs/" + org + "/roles/" + data.roles[row] + "/permissions/bench.v" + token, null));
                }
            }
        }

        /** Sends one API write; returns whether it answered 2xx (then it committed). */
        private boolean api(URI api, String method, String path, String json) {
            HttpRequest.Builder request = HttpRequest.newBuilder(api.resolve(path)).timeout(Duration.ofSeconds(10));
            if (json != null) {
                request.header("Content-Type", "application/json");
            }
            try {
                int status = http.send(request.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode();
                boolean ok = status / 100 == 2;
                (ok ? apiWrites : apiWriteFailures).incrementAndGet();
                return ok;
            } catch (IOException e) {
                apiWriteFailures.incrementAndGet();
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        private void sqlWrites(long interval) {
            SplittableRandom random = new SplittableRandom(3000);
            long next = System.nanoTime();
            try (Connection c = pg.connect(db);
                 PreparedStatement user = c.prepareStatement("update users set display_name = ? where id = ?");
                 PreparedStatement role = c.prepareStatement("update roles set description = ? where id = ?");
                 PreparedStatement grant = c.prepareStatement(
                         "insert into role_permissions (org_id, role_id, permission) values (?, ?, ?)")) {
                c.setAutoCommit(false);
                while (!stop.get()) {
                    next = Math.max(next + interval, System.nanoTime());
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        sleepNanos(wait);
                    }
                    double pick = random.nextDouble();
                    if (pick < 0.5) {
                        int row = userZipf.next(random);
                        locked(data.userOrg[row], key(USER, data.users[row]), BY_SQL, token -> sql(c, user, "v" + token,
                                data.users[row]));
                    } else if (pick < 0.75) {
                        int row = roleZipf.next(random);
                        locked(data.roleOrg[row], key(ROLE, data.roles[row]), BY_SQL, token -> sql(c, role, "v" + token,
                                data.roles[row]));
                    } else {
                        int row = roleZipf.next(random);
                        locked(data.roleOrg[row], key(PERMS, data.roles[row]), BY_SQL, token -> {
                            grant.setLong(1, data.orgs[data.roleOrg[row]]);
                            grant.setLong(2, data.roles[row]);
                            grant.setString(3, "bench.v" + token);
                            grant.executeUpdate();
                            return commit(c);
                        });
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("SQL writer failed", e);
            }
        }

        private boolean sql(Connection c, PreparedStatement update, String value, long id) throws SQLException {
            update.setString(1, value);
            update.setLong(2, id);
            update.executeUpdate();
            return commit(c);
        }

        private boolean commit(Connection c) throws SQLException {
            c.commit();
            driverTransactions.incrementAndGet();
            sqlWrites.incrementAndGet();
            return true;
        }

        /** Every {@code bulk-every} seconds one organisation's users and roles, in one transaction. */
        private void bulkUpdates() {
            SplittableRandom random = new SplittableRandom(4000);
            long next = System.nanoTime() + TimeUnit.SECONDS.toNanos(bulkEverySeconds) / 2;
            try (Connection c = pg.connect(db);
                 PreparedStatement users = c.prepareStatement("update users set display_name = ? where org_id = ?");
                 PreparedStatement roles = c.prepareStatement("update roles set description = ? where org_id = ?")) {
                c.setAutoCommit(false);
                while (!stop.get()) {
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        sleepNanos(Math.min(wait, SECOND / 10));
                        continue;
                    }
                    next += TimeUnit.SECONDS.toNanos(bulkEverySeconds);
                    int org = orgZipf.next(random);
                    ReentrantReadWriteLock.WriteLock lock = orgLocks[org].writeLock();
                    lock.lock();
                    try {
                        long token = tokens.incrementAndGet();
                        users.setString(1, "v" + token);
                        users.setLong(2, data.orgs[org]);
                        int rows = users.executeUpdate();
                        roles.setString(1, "v" + token);
                        roles.setLong(2, data.orgs[org]);
                        rows += roles.executeUpdate();
                        c.commit();
                        long confirmed = System.nanoTime();
                        driverTransactions.incrementAndGet();
                        for (int u : data.usersOfOrg[org]) {
                            history(key(USER, data.users[u])).add(token, confirmed, BY_BULK);
                        }
                        for (int r : data.rolesOfOrg[org]) {
                            history(key(ROLE, data.roles[r])).add(token, confirmed, BY_BULK);
                        }
                        bulkUpdates.incrementAndGet();
                        bulkRows.addAndGet(rows);
                    } finally {
                        lock.unlock();
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("bulk writer failed", e);
            }
        }

        @FunctionalInterface
        private interface Write {
            boolean apply(long token) throws SQLException;
        }

        /**
         * Runs one write of a row holding its organisation's read lock and the row's lock, so that per row tokens
         * are committed (and recorded) in order; records the token when the write confirms its commit.
         */
        private void locked(int org, long key, int writer, Write write) {
            ReentrantReadWriteLock.ReadLock orgLock = orgLocks[org].readLock();
            ReentrantLock rowLock = rowLocks[Math.floorMod(Long.hashCode(key * 0x9E3779B97F4A7C15L), rowLocks.length)];
            orgLock.lock();
            rowLock.lock();
            try {
                long token = tokens.incrementAndGet();
                if (write.apply(token)) {
                    history(key).add(token, System.nanoTime(), writer);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("write failed", e);
            } finally {
                rowLock.unlock();
                orgLock.unlock();
            }
        }

        private History history(long key) {
            return histories.computeIfAbsent(key, k -> new History());
        }

        // ------------------------------------------------------------------ measurements

        private record Snapshot(long nanos, long hits, long lookups, long apiLoads, long pgXacts,
                                java.util.TreeMap<Double, Double> pipelineBuckets) {
        }

        /** Cache counters of both instances, their Postgres loads, and the database's transactions. */
        private Snapshot snapshot() throws Exception {
            long hits = 0;
            long lookups = 0;
            long loads = 0;
            for (URI api : apis) {
                JsonNode cache = JSON.readTree(get(api.resolve("/v1/perf/cache")));
                JsonNode l1 = cache.path("tiers").path("l1");
                JsonNode l2 = cache.path("tiers").path("l2");
                long bypassed = 0;
                for (JsonNode count : cache.path("bypass")) {
                    bypassed += count.asLong();
                }
                hits += l1.path("hits").asLong() + l2.path("hits").asLong();
                lookups += l1.path("hits").asLong() + l1.path("misses").asLong() + bypassed;
                for (String line : get(api.resolve("/metrics")).split("\n")) {
                    Matcher m = DB_QUERY_COUNT.matcher(line);
                    if (m.matches() && READ_OPS.contains(m.group(1))) {
                        loads += (long) Double.parseDouble(m.group(2));
                    }
                }
            }
            long xacts;
            try (Connection c = pg.connect(db); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select xact_commit + xact_rollback from pg_stat_database "
                         + "where datname = current_database()")) {
                rs.next();
                xacts = rs.getLong(1);
            }
            java.util.TreeMap<Double, Double> buckets = new java.util.TreeMap<>();
            if (invalidator != null) {
                for (String line : get(invalidator.resolve("/metrics")).split("\n")) {
                    Matcher m = PIPELINE_BUCKET.matcher(line);
                    if (m.matches()) {
                        double le = m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY
                                : Double.parseDouble(m.group(1));
                        buckets.merge(le, Double.parseDouble(m.group(2)), Double::sum);
                    }
                }
            }
            return new Snapshot(System.nanoTime(), hits, lookups, loads, xacts, buckets);
        }

        /**
         * The invalidator's commit -> L1 broadcast latency over the window, from its histogram's bucket deltas:
         * {p50, p99, largest} as bucket upper bounds in seconds, or null without a pipeline (or that metric).
         */
        private double[] pipelineLatency(Snapshot before, Snapshot after) {
            if (after.pipelineBuckets.isEmpty()) {
                return null;
            }
            java.util.TreeMap<Double, Double> delta = new java.util.TreeMap<>();
            after.pipelineBuckets.forEach((le, count) ->
                    delta.put(le, count - before.pipelineBuckets.getOrDefault(le, 0.0)));
            double total = delta.lastEntry().getValue();
            if (total <= 0) {
                return null;
            }
            double p50 = Double.NaN;
            double p99 = Double.NaN;
            double largest = Double.NaN;
            double previous = 0;
            for (var bucket : delta.entrySet()) {
                if (Double.isNaN(p50) && bucket.getValue() >= 0.5 * total) {
                    p50 = bucket.getKey();
                }
                if (Double.isNaN(p99) && bucket.getValue() >= 0.99 * total) {
                    p99 = bucket.getKey();
                }
                if (bucket.getValue() > previous) {
                    largest = bucket.getKey();
                }
                previous = bucket.getValue();
            }
            return new double[] {p50, p99, largest};
        }

        private String get(URI uri) throws IOException, InterruptedException {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }

        /** Rows whose last recorded token is not what Postgres holds: the bookkeeping's own check (expected 0). */
        private long bookkeepingMismatches() throws SQLException {
            long mismatches = 0;
            try (Connection c = pg.connect(db); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery(
                        "select id, display_name from users where display_name ~ '^v[0-9]+$'")) {
                    while (rs.next()) {
                        mismatches += differs(key(USER, rs.getLong(1)), token(rs.getString(2)));
                    }
                }
                try (ResultSet rs = s.executeQuery(
                        "select id, description from roles where description ~ '^v[0-9]+$'")) {
                    while (rs.next()) {
                        mismatches += differs(key(ROLE, rs.getLong(1)), token(rs.getString(2)));
                    }
                }
                try (ResultSet rs = s.executeQuery("select role_id, max(substring(permission from 8)::bigint) "
                        + "from role_permissions where permission ~ '^bench\\.v[0-9]+$' group by role_id")) {
                    while (rs.next()) {
                        mismatches += differs(key(PERMS, rs.getLong(1)), rs.getLong(2));
                    }
                }
            }
            return mismatches;
        }

        private long differs(long key, long token) {
            History history = histories.get(key);
            return history != null && history.last() == token ? 0 : 1;
        }
    }

    private static long key(int type, long id) {
        return ((long) type << 48) | id;
    }

    /** The token of a value written by this benchmark ({@code v<n>}), or -1 for a value of the demo data. */
    private static long token(String value) {
        Matcher m = TOKEN.matcher(value);
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    /** The 1, 5 and 15 minute load averages ({@code /proc/loadavg}), or "?" elsewhere. */
    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static void sleepNanos(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------------------------------------- report

    private static String table(List<Result> results) {
        StringBuilder b = new StringBuilder();
        b.append("| configuration | reads/s | hit rate | fresh hits | Postgres xacts/s | API loads/s "
                + "| read p50 / p99 ms | stale reads (> 1 s) | longest staleness |\n");
        b.append("|---|---|---|---|---|---|---|---|---|\n");
        for (Result r : results) {
            String stale = r.stale == 0 ? String.format(Locale.ROOT, "0 of %,d", r.reads)
                    : String.format(Locale.ROOT, "%.2f %% (%,d of %,d)", 100.0 * r.stale / r.reads, r.stale, r.reads);
            String longest = r.stale == 0 ? "none > 1 s" : String.format(Locale.ROOT, "%.1f s", r.maxStaleNanos / 1e9);
            b.append(String.format(Locale.ROOT, "| %s | %,.0f | %.1f %% | %.1f %% | %,.0f | %,.0f | %.2f / %.2f "
                            + "| %s | %s |%n", r.config.label, r.reads / r.seconds, 100 * r.hitRate,
                    100 * r.freshHitRate, r.pgXactsPerSecond, r.apiLoadsPerSecond, r.p50Ms, r.p99Ms, stale, longest));
        }
        return b.toString();
    }
}
