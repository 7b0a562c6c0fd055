package dev.commitcast.cli;

import picocli.CommandLine.Command;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** Prints the running platform's endpoints as shell {@code export} lines, for {@code eval "$(./commitcast env)"}. */
@Command(name = "env", description = "Print the running platform's endpoints as shell export lines.")
final class EnvCommand implements Callable<Integer> {
    static final String ENV_PREFIX = "COMMITCAST_";

    @Override
    public Integer call() {
        StackState state = StackState.read(CommitcastCli.home())
                .filter(StackState::supervisorAlive)
                .orElseThrow(() -> new IllegalStateException(
                        "no running platform under " + CommitcastCli.home() + ": start one with ./commitcast up --detach"));
        if (!StackState.READY.equals(state.status())) {
            throw new IllegalStateException("the platform is " + state.status() + ", not ready yet"
                    + (state.get(StackState.ERROR) == null ? "" : ": " + state.get(StackState.ERROR)));
        }
        Map<String, String> exports = new TreeMap<>();
        state.values().forEach((key, value) -> {
            if (key.startsWith(ENV_PREFIX)) {
                exports.put(key, value);
            }
        });
        // psql and libpq read the password from PGPASSWORD, so COMMITCAST_PG_URL carries none (ps shows arguments).
        if (exports.containsKey("COMMITCAST_PG_PASSWORD")) {
            exports.put("PGPASSWORD", exports.get("COMMITCAST_PG_PASSWORD"));
        }
        exports.forEach((key, value) -> System.out.println("export " + key + "=" + shellQuote(value)));
        return 0;
    }

    static String shellQuote(String value) {
        return "'" + value.replace("'", "'\"'\"'") + "'";
    }
}
