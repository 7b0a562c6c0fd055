package dev.commitcast.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.commitcast.infra.support.PromQl;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The metric-name extraction MonitoringQueriesTest relies on. */
class PromQlTest {

    @Test
    void findsSelectorsButNotFunctionsAggregationsLabelsOrKeywords() {
        String expr = "sum by (tier) (rate(commitcast_cache_requests_total{result=\"hit\", kind=~\"user|roles\"}[5m]))"
                + " / on (tier) group_left (kind) sum without (instance) (rate(commitcast_cache_requests_total[5m]))"
                + " and bool up offset 5m";
        assertEquals(Set.of("commitcast_cache_requests_total", "up"), PromQl.metricNames(expr));
    }

    @Test
    void handlesHistogramQuantileNumbersAndGrafanaVariables() {
        String expr = "histogram_quantile(0.99, sum by (le) (rate(x_seconds_bucket{job=\"a\"}[$__rate_interval])))"
                + " > 1e3 and vector(5) or absent(y_total) * 2";
        assertEquals(Set.of("x_seconds_bucket", "y_total"), PromQl.metricNames(expr));
    }

    @Test
    void ignoresWordsInsideStringsAndAggregationsWrittenWithTrailingGrouping() {
        String expr = "sum(rate(a_total{path=\"/metrics and rate(b)\"}[1m])) by (le) + label_replace(c, \"d\", \"$1\", \"e\", \"(.*)\")";
        assertEquals(Set.of("a_total", "c"), PromQl.metricNames(expr));
    }

    @Test
    void rewritesGrafanaVariablesToARange() {
        assertEquals("rate(x[5m]) + rate(y[5m]) + z{a=\"5m\"}",
                PromQl.withGrafanaVariables("rate(x[$__rate_interval]) + rate(y[${interval}]) + z{a=\"$var\"}"));
    }
}
