package dev.commitcast.cli.cache;

import dev.commitcast.cli.ExitCodes;
import dev.commitcast.cli.platform.Endpoints;
import dev.commitcast.cli.platform.RedisEffects;
import dev.commitcast.cli.platform.RedisOptions;
import dev.commitcast.cli.platform.RedisSession;
import dev.commitcast.cli.platform.RulesOptions;
import dev.commitcast.core.KeyKind;
import dev.commitcast.core.Namespace;
import dev.commitcast.core.Rules;
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
 * {@code flush}: deletes every cached value and fill lease of a namespace in Redis ({@code RedisInvalidation}: the
 * fill generation of its slots first, so no read in flight can refill an old value, then SCAN), then broadcasts the
 * namespace so every cache instance evicts it from L1 ({@code EvictionPublisher}; for {@code *} a flush-all). Asks for
 * confirmation on stdin unless {@code --yes}; no answer (EOF) refuses.
 */
@Command(name = "flush", sortOptions = false, mixinStandardHelpOptions = true,
        description = "Delete a namespace of cache keys in Redis and evict it from every api-service's L1.",
        footer = {"%nNamespaces: '*' (everything), 'tag=42' (every key under hash tag 42), 'kinds=user,user_list' "
                + "(every key of those kinds of the rules file), 'tag=42;kinds=settings'.",
                "%nExamples:", "  ./commitcast flush --namespace tag=42", "  ./commitcast flush --namespace '*' --yes",
                ExitCodes.HELP})
public final class FlushCommand implements Callable<Integer> {
    @Option(names = "--namespace", paramLabel = "NS", required = true,
            description = "What to flush, in namespace wire form (see below).")
    String namespaceWire;

    @Option(names = "--yes", description = "Do not ask for confirmation.")
    boolean yes;

    @Mixin
    RedisOptions redis;

    @Mixin
    RulesOptions rulesOptions;

    @Spec
    CommandLine.Model.CommandSpec spec;

    Endpoints endpoints = Endpoints.ofRunningPlatform();
    InputStream in = System.in;

    @Override
    public Integer call() throws IOException {
        String uri = redis.redisUri(endpoints);
        Rules rules = rulesOptions.load(endpoints, redis.keySpace());
        Namespace namespace;
        try {
            namespace = rules.parseNamespace(namespaceWire.strip());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--namespace: " + e.getMessage()
                    + " (e.g. '*', 'tag=42', 'kinds=" + String.join(",", rules.kinds().stream().limit(2)
                    .map(KeyKind::name).toList()) + "'; kinds of " + rules.source() + ": "
                    + rules.kinds().stream().map(KeyKind::name).toList() + ")");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String what = "namespace " + namespace.wire() + " ("
                + String.join(" ", namespace.scanPatterns(rules.keySpace())) + ") in Redis " + uri;
        try (RedisSession session = RedisSession.connect(uri)) {
            if (!yes && !confirmed(out, what)) {
                err.println("commitcast flush: refused: no confirmation" + " (answer 'yes', or pass --yes to flush "
                        + "without asking); nothing was deleted");
                err.flush();
                return ExitCodes.FAILED;
            }
            RedisEffects.Applied applied = new RedisEffects(session, rules).flush(namespace);
            out.println("flushed " + what + ": deleted " + applied.redisKeysDeleted()
                    + " Redis keys (values and leases); broadcast " + (namespace.isEverything()
                    ? "a flush-all" : "the namespace") + " on " + rules.keySpace().evictionChannel());
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
