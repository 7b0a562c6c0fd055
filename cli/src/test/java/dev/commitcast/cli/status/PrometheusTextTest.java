package dev.commitcast.cli.status;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrometheusTextTest {

    private static final String SCRAPE = """
            # HELP commitcast_invalidator_lag_records log end offset minus position
            # TYPE commitcast_invalidator_lag_records gauge
            commitcast_invalidator_lag_records{partition="0",topic="commitcast.public.users",} 3.0
            commitcast_invalidator_lag_records{partition="1",topic="commitcast.public.users",} NaN
            # TYPE commitcast_invalidator_commit_to_broadcast_seconds histogram
            commitcast_invalidator_commit_to_broadcast_seconds_bucket{le="0.005"} 1
            commitcast_invalidator_commit_to_broadcast_seconds_bucket{le="+Inf"} 4
            commitcast_invalidator_commit_to_broadcast_seconds_count 4
            commitcast_invalidator_dlq_records_total 2.0 1712345678901
            weird_labels{path="a \\"quoted\\" \\\\ back\\nslash",empty=""} -Inf
            spaced { a = "1" , b="2" } 1e3
            exemplar_total 5.0 # {trace_id="abc"} 1.0 1712345678.9
            # EOF
            """;

    @Test
    void readsNamesLabelsAndValues() {
        PrometheusText text = PrometheusText.parse(SCRAPE);
        List<PrometheusText.Sample> lag = text.samples("commitcast_invalidator_lag_records");
        assertEquals(2, lag.size());
        assertEquals(Map.of("partition", "0", "topic", "commitcast.public.users"), lag.get(0).labels());
        assertEquals(3.0, lag.get(0).value());
        assertTrue(Double.isNaN(lag.get(1).value()));
        assertEquals(3.0, text.sum("commitcast_invalidator_lag_records").orElseThrow(), "NaN is left out of sums");
        assertEquals("+Inf", text.samples("commitcast_invalidator_commit_to_broadcast_seconds_bucket").get(1)
                .label("le"));
        assertEquals(2.0, text.value("commitcast_invalidator_dlq_records_total").orElseThrow(), "timestamp ignored");
        assertEquals(1000.0, text.value("spaced").orElseThrow());
        assertEquals(Map.of("a", "1", "b", "2"), text.samples("spaced").getFirst().labels());
        assertEquals(5.0, text.value("exemplar_total").orElseThrow(), "exemplar ignored");
    }

    @Test
    void unescapesLabelValues() {
        PrometheusText.Sample sample = PrometheusText.parse(SCRAPE).samples("weird_labels").getFirst();
        assertEquals("a \"quoted\" \\ back\nslash", sample.label("path"));
        assertEquals("", sample.label("empty"));
        assertEquals(Double.NEGATIVE_INFINITY, sample.value());
    }

    @Test
    void absentMetricsAreEmpty() {
        PrometheusText text = PrometheusText.parse("");
        assertTrue(text.samples().isEmpty());
        assertFalse(text.value("nothing").isPresent());
        assertFalse(text.sum("nothing").isPresent());
    }

    @Test
    void malformedLinesAreNamedByNumber() {
        assertMalformed("ok 1\n\nbroken{le=\"1\" 2\n", "line 3: expected ',' or '}'");
        assertMalformed("metric abc\n", "line 1: value 'abc' is not a number");
        assertMalformed("metric{a=\"unterminated} 1\n", "line 1: line ends where a closing '\"' was expected");
        assertMalformed("metric{a=\"x\\q\"} 1\n", "line 1: unknown escape '\\q'");
        assertMalformed("metric 1 notatime\n", "line 1: timestamp 'notatime' is not an integer");
        assertMalformed("# ok\nmetric\n", "line 2: expected a value after metric");
        assertMalformed("{a=\"1\"} 1\n", "line 1: expected a metric name");
    }

    private static void assertMalformed(String text, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse(text));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }
}
