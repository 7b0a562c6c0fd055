package dev.commitcast.api.support;

import io.micronaut.test.support.TestPropertyProvider;

import java.util.HashMap;
import java.util.Map;

/**
 * Base of the integration tests: gives each test class its own database and key space on the shared dev stack
 * (see {@link TestStack#serviceProperties}), plus whatever {@link #extraProperties()} adds. Test classes use
 * {@code @MicronautTest} with {@code @TestInstance(PER_CLASS)}.
 */
public abstract class ApiTestSupport implements TestPropertyProvider {

    private Map<String, String> base;
    private Map<String, String> properties;

    @Override
    public final synchronized Map<String, String> getProperties() {
        if (properties == null) {
            Map<String, String> all = new HashMap<>(base());
            all.putAll(extraProperties());
            properties = Map.copyOf(all);
        }
        return properties;
    }

    /** Returns properties of this test class on top of the defaults; may use {@link #keySpace()}. */
    protected Map<String, String> extraProperties() {
        return Map.of();
    }

    /** Returns the name of this class's database. */
    protected String database() {
        return base().get("test.database");
    }

    /** Returns this class's key space prefix. */
    protected String keySpace() {
        return base().get("commitcast.key-space");
    }

    private synchronized Map<String, String> base() {
        if (base == null) {
            base = TestStack.serviceProperties(getClass().getSimpleName());
        }
        return base;
    }

    /** Runs one SQL statement in this class's database. */
    protected void sql(String statement) {
        TestStack.sql(database(), statement);
    }
}
