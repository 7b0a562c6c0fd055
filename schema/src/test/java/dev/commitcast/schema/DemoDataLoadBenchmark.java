package dev.commitcast.schema;

import dev.commitcast.devstack.DevStack;
import dev.commitcast.devstack.PostgresEndpoint;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Measures how fast the demo-data generator loads the default data set (100 orgs x 1,000 users, 20 roles per org,
 * 50 permissions per role: 202,200 rows) into a fresh, migrated database of the dev stack's Postgres.
 *
 * <p>Run (after {@code ./mvnw -B -q -pl schema -am install -DskipTests}):
 * <pre>
 * ./mvnw -B -q -pl schema dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/schema-cp.txt
 * java -cp schema/target/test-classes:schema/target/classes:$(cat /tmp/schema-cp.txt) \
 *     dev.commitcast.schema.DemoDataLoadBenchmark 5
 * </pre>
 */
public final class DemoDataLoadBenchmark {
    private DemoDataLoadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        PostgresEndpoint pg = DevStack.shared().postgres();
        DemoDataSpec spec = DemoDataSpec.defaults();
        List<Long> millis = new ArrayList<>();
        long rows = 0;
        for (int i = 0; i < runs; i++) {
            String db = pg.createDatabase("bench");
            Migrations.apply(pg.jdbcUrl(db), pg.user(), pg.password());
            try (Connection connection = pg.connect(db)) {
                DemoDataGenerator.LoadResult result = DemoDataGenerator.load(connection, spec, false);
                millis.add(result.elapsed().toMillis());
                rows = result.totalRows();
                System.out.printf("run %d: %,d rows in %d ms (%,.0f rows/s)%n", i + 1, rows,
                        result.elapsed().toMillis(), result.rowsPerSecond());
            }
        }
        Collections.sort(millis);
        long median = millis.get(millis.size() / 2);
        System.out.printf("demo data load (%,d rows, %d runs): median %d ms (%,.0f rows/s), min %d ms, max %d ms%n",
                rows, runs, median, rows * 1000.0 / median, millis.getFirst(), millis.getLast());
    }
}
