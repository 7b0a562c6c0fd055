package dev.commitcast.cli.status;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Expected values are what PromQL's histogram_quantile answers for the same buckets. */
class HistogramQuantileTest {
    private static final double INF = Double.POSITIVE_INFINITY;

    private static List<HistogramQuantile.Bucket> buckets(double... boundsAndCounts) {
        List<HistogramQuantile.Bucket> buckets = new java.util.ArrayList<>();
        for (int i = 0; i < boundsAndCounts.length; i += 2) {
            buckets.add(new HistogramQuantile.Bucket(boundsAndCounts[i], boundsAndCounts[i + 1]));
        }
        return buckets;
    }

    @Test
    void interpolatesLinearlyWithinTheBucketOfTheRank() {
        // 100 observations: 10 <= 0.01, 60 <= 0.05, 90 <= 0.1, 100 <= 1
        List<HistogramQuantile.Bucket> b = buckets(0.01, 10, 0.05, 60, 0.1, 90, 1, 100, INF, 100);
        assertEquals(0.01 + 0.04 * (50 - 10) / 50.0, HistogramQuantile.quantile(0.5, b), 1e-12);
        assertEquals(0.1 + 0.9 * (99 - 90) / 10.0, HistogramQuantile.quantile(0.99, b), 1e-12);
        assertEquals(0.01 * 5 / 10.0, HistogramQuantile.quantile(0.05, b), 1e-12, "first bucket starts at 0");
        assertEquals(0.0, HistogramQuantile.quantile(0, b), 1e-12);
        assertEquals(100, HistogramQuantile.count(b));
    }

    @Test
    void aRankInTheInfBucketAnswersTheHighestFiniteBound() {
        List<HistogramQuantile.Bucket> b = buckets(0.1, 1, 0.5, 2, INF, 10);
        assertEquals(0.5, HistogramQuantile.quantile(0.99, b));
        assertEquals(0.5, HistogramQuantile.quantile(1, b));
    }

    @Test
    void edgeCasesAsPromQl() {
        assertTrue(Double.isNaN(HistogramQuantile.quantile(0.5, buckets(0.1, 0, INF, 0))), "no observations");
        assertTrue(Double.isNaN(HistogramQuantile.quantile(0.5, buckets(0.1, 3, 0.2, 4))), "no +Inf bucket");
        assertTrue(Double.isNaN(HistogramQuantile.quantile(0.5, List.of())));
        assertEquals(Double.NEGATIVE_INFINITY, HistogramQuantile.quantile(-0.1, buckets(0.1, 1, INF, 1)));
        assertEquals(INF, HistogramQuantile.quantile(1.1, buckets(0.1, 1, INF, 1)));
        assertEquals(-1, HistogramQuantile.quantile(0.5, buckets(-1, 5, 1, 10, INF, 10)), "non-positive first bound");
        // a non-atomic scrape where a later bucket reads lower is clamped to be monotonic
        assertEquals(0.2 + 0.1 * 0.5, HistogramQuantile.quantile(0.75, buckets(0.1, 2, 0.2, 1, 0.3, 4, INF, 4)),
                1e-12);
    }

    @Test
    void sumsSeriesByLeFromScrapedText() {
        PrometheusText text = PrometheusText.parse("""
                lat_seconds_bucket{instance="a",le="0.01"} 1
                lat_seconds_bucket{instance="a",le="0.1"} 3
                lat_seconds_bucket{instance="a",le="+Inf"} 4
                lat_seconds_bucket{instance="b",le="0.01"} 1
                lat_seconds_bucket{instance="b",le="0.1"} 1
                lat_seconds_bucket{instance="b",le="+Inf"} 2
                lat_seconds_count 6
                """);
        assertEquals(buckets(0.01, 2, 0.1, 4, INF, 6), HistogramQuantile.buckets(text, "lat_seconds"));
        assertTrue(HistogramQuantile.buckets(text, "absent_seconds").isEmpty());
    }

    @Test
    void differenceBetweenScrapesAndResets() {
        List<HistogramQuantile.Bucket> before = buckets(0.01, 2, 0.1, 4, INF, 6);
        List<HistogramQuantile.Bucket> now = buckets(0.01, 2, 0.1, 9, INF, 12);
        assertEquals(buckets(0.01, 0, 0.1, 5, INF, 6), HistogramQuantile.minus(now, before));
        List<HistogramQuantile.Bucket> restarted = buckets(0.01, 1, 0.1, 1, INF, 1);
        assertEquals(restarted, HistogramQuantile.minus(restarted, before), "a reset counts from zero");
    }
}
