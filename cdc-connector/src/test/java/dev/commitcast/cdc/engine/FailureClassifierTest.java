package dev.commitcast.cdc.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.debezium.DebeziumException;
import java.net.ConnectException;
import java.sql.SQLException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

class FailureClassifierTest {

    @Test
    void authenticationAndConfigurationFailuresArePermanent() {
        assertTrue(FailureClassifier.classify(new SQLException("password authentication failed", "28P01"))
                .permanent());
        assertTrue(FailureClassifier.classify(new DebeziumException("wrapped",
                new SQLException("no pg_hba.conf entry", "28000"))).permanent());
        assertTrue(FailureClassifier.classify(new SQLException("publication does not exist", "42704")).permanent());
        assertTrue(FailureClassifier.classify(new SaslAuthenticationException("bad credentials")).permanent());
        assertTrue(FailureClassifier.classify(new TopicAuthorizationException("denied")).permanent());
        assertTrue(FailureClassifier.classify(new DebeziumException("Connector configuration is not valid. x"))
                .permanent());
    }

    @Test
    void unavailableServersAreRetriable() {
        assertFalse(FailureClassifier.classify(new SQLException("Connection refused", "08001")).permanent());
        assertFalse(FailureClassifier.classify(new RuntimeException(new ConnectException("refused"))).permanent());
        assertFalse(FailureClassifier.classify(new TimeoutException("Expiring 3 record(s)")).permanent());
        assertFalse(FailureClassifier.classify(new SQLException("replication slot is active for PID 42", "55006"))
                .permanent());
    }

    @Test
    void aPermanentCauseAnywhereInTheChainWins() {
        assertTrue(FailureClassifier.classify(new RuntimeException(new TimeoutException("t",
                new SaslAuthenticationException("auth")))).permanent());
    }

    @Test
    void unknownFailuresAreRetriedNotFatal() {
        assertFalse(FailureClassifier.classify(new IllegalStateException("surprise")).permanent());
    }
}
