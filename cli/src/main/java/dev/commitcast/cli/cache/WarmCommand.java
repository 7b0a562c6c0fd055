package dev.commitcast.cli.cache;

import dev.commitcast.cli.ExitCodes;
import dev.commitcast.cli.platform.Endpoints;
import dev.commitcast.cli.platform.OptionConverters;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.LongStream;

/**
 * {@code warm}: asks every api-service instance, one after the other, to fill its caches for one organisation or the
 * first N (settings, roles, each role's permissions, the first users page) and prints what answered: MISS (read from
 * Postgres, filled L2 and L1), L2 (filled L1 from Redis), L1 (already warm). The first instance typically misses, the
 * others hit L2.
 */
@Command(name = "warm", sortOptions = false, mixinStandardHelpOptions = true,
        description = "Fill the api-service instances' caches for an organisation (or the first N) and count "
                + "MISS/L2/L1.",
        footer = {"%nExamples:", "  ./commitcast warm --org 42", "  ./commitcast warm --top 10", ExitCodes.HELP})
public final class WarmCommand implements Callable<Integer> {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    @Option(names = "--api", paramLabel = "URL", split = ",", converter = OptionConverters.HttpUrl.class,
            description = "api-service base URLs, comma-separated (default: the running platform's).")
    List<String> api;

    @Spec
    CommandLine.Model.CommandSpec spec;

    Endpoints endpoints = Endpoints.ofRunningPlatform();

    static final class Which {
        @Option(names = "--org", paramLabel = "ID", required = true, description = "One organisation.")
        Long org;

        @Option(names = "--top", paramLabel = "N", required = true, description = "Organisations 1..N.")
        Integer top;
    }

    @Override
    public Integer call() {
        List<Long> orgs = orgs();
        List<URI> apis = endpoints.apis(api);
        if (apis.isEmpty()) {
            endpoints.required(null, Endpoints.API_URLS, "--api http://host:port");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("warming " + (orgs.size() == 1 ? "org " + orgs.getFirst() : "orgs 1.." + orgs.size())
                + " (settings, roles, each role's permissions, first users page) on " + apis.size()
                + " api-service instance" + (apis.size() == 1 ? "" : "s"));
        out.flush();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
                .version(HttpClient.Version.HTTP_1_1).build();
        WarmTally total = new WarmTally();
        int unreachable = 0;
        boolean problems = false;
        for (URI base : apis) {
            long started = System.nanoTime();
            WarmTally tally = new InstanceWarmer(http, base).warm(orgs);
            long millis = (System.nanoTime() - started) / 1_000_000;
            tally.addTo(total);
            problems |= tally.hadProblems();
            if (tally.unreachable != null) {
                unreachable++;
                out.println("  " + base + "  DOWN: " + tally.unreachable);
            } else {
                out.println("  " + base + "  " + tally.requests + " requests in " + millis + " ms: " + tally.sources()
                        + "  (404: " + tally.notFound + ", errors: " + tally.errors
                        + (tally.lastError == null ? "" : ", last: " + tally.lastError) + ")");
            }
            out.flush();
        }
        out.println("total: " + total.sources() + "  (404: " + total.notFound + ", errors: " + total.errors + ")");
        out.flush();
        if (unreachable == apis.size()) {
            throw new IllegalStateException("no api-service instance answered");
        }
        return problems ? ExitCodes.PARTIAL : ExitCodes.OK;
    }

    private List<Long> orgs() {
        if (which.org != null) {
            if (which.org < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--org: must be >= 1, was " + which.org);
            }
            return List.of(which.org);
        }
        if (which.top < 1 || which.top > 100_000) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--top: must be in 1..100000, was " + which.top);
        }
        return LongStream.rangeClosed(1, which.top).boxed().toList();
    }
}
