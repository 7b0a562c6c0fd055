package dev.commitcast.devstack.internal;

import dev.commitcast.devstack.DevStackOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** What every server of one stack shares: its options, work directory and pid file. */
public record StackContext(DevStackOptions options, Path workDir, PidRegistry pids) {

    public Duration startTimeout() {
        return options.startTimeout();
    }

    public Map<String, String> environment() {
        return options.environment();
    }

    public String env(String key) {
        String value = options.environment().get(key);
        return value == null || value.isBlank() ? null : value.trim();
    }
}
