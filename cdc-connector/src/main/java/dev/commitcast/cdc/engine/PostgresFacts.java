package dev.commitcast.cdc.engine;

import java.util.List;
import java.util.Optional;

/**
 * What start-up checks learned from Postgres. Immutable.
 *
 * @param walLevel          {@code current_setting('wal_level')}
 * @param replicationRole   the user has REPLICATION (or is a superuser)
 * @param user              the connected role
 * @param publicationExists the configured publication exists
 * @param publicationTables {@code schema.table} of each table in it
 * @param slotPlugin        the output plugin of the configured slot, if the slot exists
 */
public record PostgresFacts(String walLevel, boolean replicationRole, String user, boolean publicationExists,
                            List<String> publicationTables, Optional<String> slotPlugin) {

    public PostgresFacts {
        publicationTables = List.copyOf(publicationTables);
    }
}
