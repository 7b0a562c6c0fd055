package dev.commitcast.cli.rules;

import dev.commitcast.core.GenerationKeys;
import dev.commitcast.core.KeySpace;
import dev.commitcast.core.Rules;
import dev.commitcast.core.TableRule;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The least privileges each Commitcast process needs, derived from a rules file: Postgres roles for the connector
 * (REPLICATION, SELECT on the captured tables only) and the read API (SELECT on them), and Redis ACL users for the
 * API (read, lease and fill keys of the key space, read its platform keys, subscribe to the eviction channel) and the
 * invalidator (delete, publish, write the watermark and the platform keys). No passwords: they are set apart
 * (psql's {@code \password}, {@code ACL SETUSER name >password}), so this output can be kept in a repository.
 *
 * @param rules       the rules file (tables, key space)
 * @param cdcRole     the connector's Postgres role
 * @param apiRole     the read API's Postgres role
 * @param publication the publication the connector streams
 * @param apiUser     the API's Redis ACL user
 * @param invalidatorUser the invalidator's Redis ACL user
 */
public record Grants(Rules rules, String cdcRole, String apiRole, String publication, String apiUser,
                     String invalidatorUser) {

    /**
     * Commands every client needs to connect: Lettuce sends HELLO (with AUTH) and checks the connection with PING.
     * Its CLIENT SETINFO (Redis 7.2+) is left out on purpose: Redis 7.0 rejects the rule, and Lettuce ignores the
     * refusal.
     */
    private static final String CONNECTION = "+hello +auth +ping +client|setname +client|id";
    /** Reading which server this is ({@code INFO server}: run id) and loading the fill and lease scripts. */
    private static final String SERVER = "+info +script|load +evalsha +eval";
    /** What the scripts run inside (Redis checks script commands against the caller's ACL too). */
    private static final String API_DATA = "+get +mget +set +del +unlink +exists +pttl";
    private static final String INVALIDATOR_DATA = API_DATA + " +mset +hget +hset +hgetall +scan +incr +publish";

    /** The SQL, for psql as the tables' owner or a superuser. */
    public String postgres() {
        List<TableRule> tables = rules.tables();
        String tableList = tables.stream().map(TableRule::qualifiedName).sorted().collect(Collectors.joining(", "));
        TreeSet<String> schemas = tables.stream().map(TableRule::schema).collect(Collectors.toCollection(TreeSet::new));
        String schemaList = String.join(", ", schemas);
        return """
                -- Commitcast least-privilege roles for %1$s (./commitcast rules grants). Run as the tables' owner or a
                -- superuser. Passwords are set apart, never on a command line: \\password %2$s and \\password %3$s in psql.
                -- The connector: streams the captured tables through its replication slot and nothing else.
                CREATE ROLE %2$s LOGIN REPLICATION;
                GRANT USAGE ON SCHEMA %4$s TO %2$s;
                GRANT SELECT ON TABLE %5$s TO %2$s;
                -- The publication it streams (owned by the tables' owner, so the connector needs no ownership).
                -- CREATE PUBLICATION %6$s FOR TABLE %5$s;
                -- The read API: reads the cached tables; migrations run as the owner (COMMITCAST_FLYWAY_ENABLED=false).
                CREATE ROLE %3$s LOGIN;
                GRANT USAGE ON SCHEMA %4$s TO %3$s;
                GRANT SELECT ON TABLE %5$s TO %3$s;
                """.formatted(rules.source(), cdcRole, apiRole, schemaList, tableList, publication);
    }

    /** The Redis ACL, as {@code ACL SETUSER} commands (redis-cli) without passwords. */
    public String redis() {
        KeySpace space = rules.keySpace();
        String values = space.keyPrefix() + "*";
        String platform = space.systemPrefix() + "*";
        String channel = space.evictionChannel();
        return """
                # Commitcast least-privilege Redis users for key space %1$s (./commitcast rules grants). Add each password
                # apart: ACL SETUSER %2$s >PASSWORD (or #SHA256-OF-PASSWORD), then ACL SAVE when Redis has an aclfile;
                # and switch the default user off once every client has its own: ACL SETUSER default off
                # The API: reads, leases and fills values; reads the platform keys (watermark, server, rules). The fill
                # scripts take the generation counters as keys, which Redis checks as read-write (%11$s).
                ACL SETUSER %2$s reset on resetchannels &%4$s %%RW~%5$s %%RW~%11$s %%R~%6$s -@all %7$s %8$s %9$s +subscribe +unsubscribe
                # The invalidator: deletes values, bumps generations, writes the watermark and platform keys, publishes.
                ACL SETUSER %3$s reset on resetchannels &%4$s ~%5$s ~%6$s -@all %7$s %8$s %10$s +subscribe +unsubscribe
                """.formatted(space.prefix(), apiUser, invalidatorUser, channel, values, platform, CONNECTION, SERVER,
                API_DATA, INVALIDATOR_DATA, GenerationKeys.pattern(space));
    }
}
