import dev.commitcast.devstack.DevStack;
import dev.commitcast.devstack.DevStackOptions;
import dev.commitcast.devstack.PostgresEndpoint;
import dev.commitcast.devstack.ServerKind;
import dev.commitcast.schema.DemoDataGenerator;
import dev.commitcast.schema.DemoDataSpec;
import dev.commitcast.schema.Migrations;

import java.io.IOException;
import java.sql.Connection;

/**
 * Starts a private Postgres and Redis (the dev stack, no Kafka), migrates a fresh database and loads the default
 * demo data (100 orgs x 1,000 users), prints the api-service environment as {@code export NAME=value} lines followed
 * by {@code READY}, then keeps the servers up until its standard input closes. Launched by {@code run.sh} as a
 * single-file program:
 *
 * <pre>java -cp "$(cat devstack/target/classpath.txt):devstack/target/classes:schema/target/classes" BenchStack.java</pre>
 */
public final class BenchStack {

    public static void main(String[] args) throws Exception {
        try (DevStack stack = DevStack.start(DevStackOptions.builder()
                .servers(ServerKind.POSTGRES, ServerKind.REDIS).build())) {
            PostgresEndpoint pg = stack.postgres();
            String db = pg.createDatabase("bench");
            Migrations.apply(pg.jdbcUrl(db), pg.user(), pg.password());
            try (Connection connection = pg.connect(db)) {
                DemoDataGenerator.LoadResult loaded = DemoDataGenerator.load(connection, DemoDataSpec.defaults(), false);
                System.err.printf("BenchStack: loaded %d rows in %d ms%n", loaded.totalRows(),
                        loaded.elapsed().toMillis());
            }
            System.out.println("export COMMITCAST_PG_JDBC_URL=" + pg.jdbcUrl(db));
            System.out.println("export COMMITCAST_PG_USER=" + pg.user());
            System.out.println("export COMMITCAST_PG_PASSWORD=" + pg.password());
            System.out.println("export COMMITCAST_REDIS_URL=" + stack.redis().uri());
            System.out.println("READY");
            System.out.flush();
            waitForEof();
        }
    }

    private static void waitForEof() throws IOException {
        while (System.in.read() >= 0) {
            // keep the servers up until the launcher closes our input
        }
    }
}
