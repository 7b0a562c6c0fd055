package dev.commitcast.cli.cache;

import dev.commitcast.cli.ExitCodes;
import dev.commitcast.cli.platform.Endpoints;
import dev.commitcast.cli.platform.OptionConverters;
import dev.commitcast.cli.platform.RedisEffects;
import dev.commitcast.cli.platform.RedisOptions;
import dev.commitcast.cli.platform.RedisSession;
import dev.commitcast.keys.Namespace;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code flush}: deletes every cached value and fill lease of a namespace in Redis ({@code RedisInvalidation}, by
 * SCAN), then broadcasts the namespace so every api-service evicts it from L1 ({@code EvictionPublisher}; for
 * {@code *} a flush-all). Asks for confirmation on stdin unless {@code --yes}; no answer (EOF) refuses.
 */
@Command(name = "flush", sortOptions = false, mixinStandardHelpOptions = true,
        description = "Delete a namespace of cache keys in Redis and evict it from every api-service's L1.",
        footer = {"%nNamespaces: '*' (everything), 'org=42', 'kinds=USER,USER_LIST', 'org=42;kinds=SETTINGS'; "
                + "kinds are SETTINGS, ROLES, ROLE_PERMISSIONS, USER, USER_LIST.",
                "%nExamples:", "  ./commitcast flush --namespace org=42", "  ./commitcast flush --namespace '*' --yes",
                ExitCodes.HELP})
public final class FlushCommand implements Callable<Integer> {
    @Option(names = "--namespace", paramLabel = "NS", required = true, converter = OptionConverters.NamespaceWire.class,
            description = "What to flush, in namespace wire form (see below).")
    Namespace namespace;

    @Option(names = "--yes", description = "Do not ask for confirmation.")
    boolean yes;

    @Mixin
    RedisOptions redis;

    @Spec
    CommandLine.Model.CommandSpec spec;

    Endpoints endpoints = Endpoints.ofRunningPlatform();
    InputStream in = System.in;

    @Override
    public Integer call() throws IOException {
        String uri = redis.redisUri(endpoints);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String what = "namespace " + namespace.wire() + " ("
                + String.join(" ", namespace.redisScanPatterns(redis.keySpace())) + ") in Redis " + uri;
        try (RedisSession session = RedisSession.connect(uri)) {
            if (!yes && !confirmed(out, what)) {
                err.println("commitcast flush: refused: no confirmation" + " (answer 'yes', or pass --yes to flush "
                        + "without asking); nothing was deleted");
                err.flush();
                return ExitCodes.FAILED;
            }
            RedisEffects.Applied applied = new RedisEffects(session, redis.keySpace()).flush(namespace);
            out.println("flushed " + what + ": deleted " + applied.redisKeysDeleted()
                    + " Redis keys (values and leases); broadcast " + (namespace.equals(Namespace.all())
                    ? "a flush-all" : "the namespace") + " on " + redis.keySpace().evictionChannel());
            out.flush();
            return ExitCodes.OK;
        }
    }

    private boolean confirmed(PrintWriter out, String what) throws IOException {
        out.print("Delete every cached value and fill lease of " + what
                + ", and evict it from every api-service's L1? Type 'yes' to continue: ");
        out.flush();
        String answer = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
        out.println(answer == null ? System.lineSeparator() + "(no input: stdin is closed)" : "");
        out.flush();
        return answer != null && (answer.strip().toLowerCase(Locale.ROOT).equals("yes")
                || answer.strip().equalsIgnoreCase("y"));
    }
}
