package dev.commitcast.cli.rules;

import dev.commitcast.cli.ExitCodes;
import dev.commitcast.cli.platform.Endpoints;
import dev.commitcast.cli.platform.RulesOptions;
import dev.commitcast.core.Rules;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rules grants}: the least-privilege Postgres roles and Redis ACL users for a rules file. */
@Command(name = "grants", sortOptions = false, mixinStandardHelpOptions = true,
        description = "Print the least-privilege Postgres roles and Redis ACL users the platform needs for a rules "
                + "file (no passwords: set them apart).",
        footer = {"%nExit codes: 0 printed, 1 the rules file is not valid, 2 bad usage."})
public final class RulesGrantsCommand implements Callable<Integer> {
    @Mixin
    RulesOptions rules;

    @Option(names = "--key-space", paramLabel = "PREFIX", description = "Key space prefix (default: the rules file's).")
    String keySpace;

    @Option(names = "--cdc-role", defaultValue = "commitcast_cdc", description = "Default: ${DEFAULT-VALUE}.")
    String cdcRole;

    @Option(names = "--api-role", defaultValue = "commitcast_api", description = "Default: ${DEFAULT-VALUE}.")
    String apiRole;

    @Option(names = "--publication", defaultValue = "commitcast_pub", description = "Default: ${DEFAULT-VALUE}.")
    String publication;

    @Option(names = "--api-user", defaultValue = "commitcast-api", description = "Redis user. Default: ${DEFAULT-VALUE}.")
    String apiUser;

    @Option(names = "--invalidator-user", defaultValue = "commitcast-invalidator",
            description = "Redis user. Default: ${DEFAULT-VALUE}.")
    String invalidatorUser;

    @Spec
    CommandLine.Model.CommandSpec spec;

    Endpoints endpoints = Endpoints.ofRunningPlatform();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Rules loaded = rules.load(endpoints, keySpace);
        Grants grants = new Grants(loaded, cdcRole, apiRole, publication, apiUser, invalidatorUser);
        out.print(grants.postgres());
        out.println();
        out.print(grants.redis());
        out.flush();
        return ExitCodes.OK;
    }
}
