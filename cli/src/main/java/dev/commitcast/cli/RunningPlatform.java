package dev.commitcast.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The endpoints of the platform that {@code ./commitcast up} runs under {@link CommitcastCli#home()}, for the operator
 * commands ({@code record}, {@code replay}, {@code status}, ...). Only a ready platform whose supervisor is alive
 * counts; a left-over state file of a dead supervisor is ignored.
 */
public final class RunningPlatform {
    /** What every command says when it needs an endpoint, none was given by a flag and no platform runs. */
    public static final String NOT_RUNNING = "no running platform: ./commitcast up --detach";
    /** Prefix of the supervisor's facts about one service: {@code service.<name>.restarts}, {@code ...gave-up}. */
    public static final String SERVICE_PREFIX = "service.";
    /** Suffix of how often the watchdog restarted a service. */
    public static final String RESTARTS = ".restarts";
    /** Suffix of why the watchdog gave up on a service. */
    public static final String GAVE_UP = ".gave-up";

    private RunningPlatform() {
    }

    /**
     * Returns the running platform's {@code COMMITCAST_*} endpoints and the supervisor's {@code service.*} facts, or
     * empty when no platform runs.
     *
     * @throws IllegalStateException when a platform is starting or failed to start
     */
    public static Optional<Map<String, String>> endpoints() {
        Optional<StackState> found = StackState.read(CommitcastCli.home()).filter(StackState::supervisorAlive);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        StackState state = found.get();
        if (!StackState.READY.equals(state.status())) {
            throw new IllegalStateException("the platform under " + CommitcastCli.home() + " is " + state.status()
                    + ", not ready" + (state.get(StackState.ERROR) == null ? "" : ": " + state.get(StackState.ERROR)));
        }
        Map<String, String> endpoints = new LinkedHashMap<>();
        state.values().forEach((key, value) -> {
            if (key.startsWith(EnvCommand.ENV_PREFIX) || key.startsWith(SERVICE_PREFIX)) {
                endpoints.put(key, value);
            }
        });
        return Optional.of(endpoints);
    }
}
