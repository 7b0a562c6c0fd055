package dev.commitcast.cdc.engine;

import dev.commitcast.cdc.publish.EventDecoder;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.Set;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.config.ConfigException;

/**
 * Decides whether a failure is worth retrying. Permanent: authentication and authorisation failures (Postgres SQLSTATE
 * class 28, Kafka {@link AuthenticationException}/{@link AuthorizationException}), bad configuration, a missing
 * database or publication, an event we cannot interpret, a lost change stream with {@code on-continuity-loss =
 * fail}. Retriable: connection refused or lost, timeouts, broker
 * unavailable, a slot still held by another process. Unknown failures are retried (with back-off, logged and
 * counted) rather than taking the pipeline down for good.
 */
public final class FailureClassifier {

    /** The verdict and the cause it was based on. */
    public record Failure(boolean permanent, Throwable decisive, String summary) {
    }

    /** SQLSTATEs that retrying cannot fix. */
    private static final Set<String> PERMANENT_SQL_STATES = Set.of(
            "3D000", // invalid_catalog_name: the database does not exist
            "42704", // undefined_object: e.g. the publication does not exist
            "42501", // insufficient_privilege
            "55000", // object_not_in_prerequisite_state: e.g. wal_level is not logical
            "53400"  // configuration_limit_exceeded: max_replication_slots / max_wal_senders reached
    );

    private FailureClassifier() {
    }

    public static Failure classify(Throwable error) {
        Throwable retriableCause = null;
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (isPermanent(t)) {
                return new Failure(true, t, summary(t));
            }
            if (retriableCause == null && isRetriable(t)) {
                retriableCause = t;
            }
        }
        Throwable decisive = retriableCause != null ? retriableCause : error;
        return new Failure(false, decisive, summary(decisive));
    }

    private static boolean isPermanent(Throwable t) {
        if (t instanceof SQLException sql && sql.getSQLState() != null) {
            String state = sql.getSQLState();
            return state.startsWith("28") || PERMANENT_SQL_STATES.contains(state);
        }
        return t instanceof AuthenticationException
                || t instanceof AuthorizationException
                || t instanceof InvalidConfigurationException
                || t instanceof ConfigException
                || t instanceof InvalidTopicException
                || t instanceof RecordTooLargeException
                || t instanceof UnsupportedVersionException
                || t instanceof EventDecoder.MalformedEventException
                || t instanceof dev.commitcast.cdc.continuity.ContinuityLostException
                || t instanceof org.apache.kafka.connect.errors.DataException
                || isInvalidConnectorConfig(t);
    }

    private static boolean isInvalidConnectorConfig(Throwable t) {
        return t instanceof io.debezium.DebeziumException && t.getMessage() != null
                && (t.getMessage().contains("Connector configuration is not valid")
                || t.getMessage().contains("invalid configuration"));
    }

    private static boolean isRetriable(Throwable t) {
        if (t instanceof SQLException sql && sql.getSQLState() != null) {
            String state = sql.getSQLState();
            return state.startsWith("08") || state.startsWith("57P") || "55006".equals(state);
        }
        return t instanceof org.apache.kafka.common.errors.RetriableException
                || t instanceof org.apache.kafka.connect.errors.RetriableException
                || t instanceof ConnectException
                || t instanceof NoRouteToHostException
                || t instanceof SocketTimeoutException
                || t instanceof UnknownHostException
                || t instanceof java.util.concurrent.TimeoutException;
    }

    private static String summary(Throwable t) {
        String sqlState = t instanceof SQLException sql && sql.getSQLState() != null
                ? " [SQLSTATE " + sql.getSQLState() + "]" : "";
        return t.getClass().getSimpleName() + sqlState + ": " + t.getMessage();
    }
}
