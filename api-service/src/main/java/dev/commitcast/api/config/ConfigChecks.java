package dev.commitcast.api.config;

import java.time.Duration;

/**
 * Fail-fast checks of configuration values. Every failure names the property key, the rejected value and what is
 * accepted, so the operator can fix the configuration from the startup log alone.
 */
final class ConfigChecks {

    private ConfigChecks() {
    }

    static <T> T orDefault(T value, T defaultValue) {
        return value == null ? defaultValue : value;
    }

    static int atLeast(String key, Integer value, int defaultValue, int min) {
        int v = value == null ? defaultValue : value;
        if (v < min) {
            throw invalid(key, v, "must be >= " + min);
        }
        return v;
    }

    static int between(String key, Integer value, int defaultValue, int min, int max) {
        int v = value == null ? defaultValue : value;
        if (v < min || v > max) {
            throw invalid(key, v, "must be within [" + min + ", " + max + "]");
        }
        return v;
    }

    static long atLeast(String key, Long value, long defaultValue, long min) {
        long v = value == null ? defaultValue : value;
        if (v < min) {
            throw invalid(key, v, "must be >= " + min);
        }
        return v;
    }

    static Duration positive(String key, Duration value, Duration defaultValue) {
        Duration v = value == null ? defaultValue : value;
        if (v.isNegative() || v.isZero()) {
            throw invalid(key, v, "must be a positive duration, e.g. 50ms or 2s");
        }
        return v;
    }

    static Duration between(String key, Duration value, Duration defaultValue, Duration min, Duration max) {
        Duration v = positive(key, value, defaultValue);
        if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
            throw invalid(key, v, "must be within [" + min + ", " + max + "]");
        }
        return v;
    }

    static InvalidConfigurationException invalid(String key, Object value, String rule) {
        return new InvalidConfigurationException(key, value, rule);
    }
}
