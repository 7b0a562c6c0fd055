package dev.commitcast.cli.status;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Quantiles from a Prometheus histogram's cumulative buckets, computed as PromQL's {@code histogram_quantile} does:
 * find the bucket holding the rank {@code q * count} and interpolate linearly within it (the first bucket starts at
 * 0); a rank in the {@code +Inf} bucket answers the highest finite bound. Stateless.
 */
public final class HistogramQuantile {

    /** One cumulative bucket: observations {@code <= upperBound}. */
    public record Bucket(double upperBound, double count) {
    }

    private HistogramQuantile() {
    }

    /**
     * The buckets of histogram {@code name} (its {@code <name>_bucket} series), summed by {@code le} over every other
     * label (as {@code sum by (le)}), sorted by bound. Empty when the histogram is not exported.
     */
    public static List<Bucket> buckets(PrometheusText metrics, String name) {
        Map<Double, Double> byBound = new TreeMap<>();
        for (PrometheusText.Sample sample : metrics.samples(name + "_bucket")) {
            String le = sample.label("le");
            if (le == null || Double.isNaN(sample.value())) {
                continue;
            }
            double bound = switch (le) {
                case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
                default -> Double.parseDouble(le);
            };
            byBound.merge(bound, sample.value(), Double::sum);
        }
        List<Bucket> buckets = new ArrayList<>();
        byBound.forEach((bound, count) -> buckets.add(new Bucket(bound, count)));
        return buckets;
    }

    /** The total number of observations ({@code +Inf} bucket), 0 when there are no buckets. */
    public static double count(List<Bucket> buckets) {
        return buckets.isEmpty() ? 0 : buckets.getLast().count();
    }

    /**
     * The {@code q}-quantile, in the buckets' unit.
     *
     * @return {@code NaN} when there are no observations or no {@code +Inf} bucket (as PromQL)
     */
    public static double quantile(double q, List<Bucket> buckets) {
        if (Double.isNaN(q)) {
            return Double.NaN;
        }
        if (q < 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (q > 1) {
            return Double.POSITIVE_INFINITY;
        }
        if (buckets.size() < 2 || buckets.getLast().upperBound() != Double.POSITIVE_INFINITY) {
            return Double.NaN;
        }
        List<Bucket> sorted = monotonic(buckets);
        double observations = sorted.getLast().count();
        if (observations == 0) {
            return Double.NaN;
        }
        double rank = q * observations;
        int b = 0;
        while (b < sorted.size() - 1 && sorted.get(b).count() < rank) {
            b++;
        }
        if (b == sorted.size() - 1) {
            return sorted.get(sorted.size() - 2).upperBound();
        }
        if (b == 0 && sorted.getFirst().upperBound() <= 0) {
            return sorted.getFirst().upperBound();
        }
        double start = 0;
        double end = sorted.get(b).upperBound();
        double count = sorted.get(b).count();
        if (b > 0) {
            start = sorted.get(b - 1).upperBound();
            count -= sorted.get(b - 1).count();
            rank -= sorted.get(b - 1).count();
        }
        return start + (end - start) * (rank / count);
    }

    /**
     * The observations between two scrapes: {@code now - before} per bound. When the histogram was reset in between
     * (a count went down: the process restarted), {@code now} itself.
     */
    public static List<Bucket> minus(List<Bucket> now, List<Bucket> before) {
        Map<Double, Double> earlier = new TreeMap<>();
        before.forEach(b -> earlier.put(b.upperBound(), b.count()));
        List<Bucket> difference = new ArrayList<>(now.size());
        for (Bucket bucket : now) {
            double delta = bucket.count() - earlier.getOrDefault(bucket.upperBound(), 0.0);
            if (delta < 0) {
                return now;
            }
            difference.add(new Bucket(bucket.upperBound(), delta));
        }
        return difference;
    }

    /** Scrapes are not atomic: a later bucket may read lower than an earlier one; PromQL clamps it, so do we. */
    private static List<Bucket> monotonic(List<Bucket> buckets) {
        List<Bucket> fixed = new ArrayList<>(buckets.size());
        double max = 0;
        for (Bucket bucket : buckets) {
            max = Math.max(max, bucket.count());
            fixed.add(new Bucket(bucket.upperBound(), max));
        }
        return fixed;
    }
}
