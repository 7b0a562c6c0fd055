package dev.commitcast.schema;

import dev.commitcast.devstack.DevStack;
import dev.commitcast.devstack.PostgresEndpoint;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The invalidator depends on change events carrying before-images. This decodes, with the same output plugin the
 * connector uses (pgoutput, on the commitcast publication), the UPDATE of a user that moved to another org, and
 * checks that the old tuple is present and complete.
 */
class LogicalReplicationIT {
    private final PostgresEndpoint pg = DevStack.shared().postgres();

    @Test
    void updateOfUsersCarriesTheBeforeImage() throws SQLException {
        String db = pg.createDatabase("replication");
        Migrations.apply(pg.jdbcUrl(db), pg.user(), pg.password());
        String slot = "it_" + db.replaceAll("[^a-z0-9_]", "_");
        try (Connection c = pg.connect(db); Statement s = c.createStatement()) {
            DemoDataGenerator.load(c, new DemoDataSpec(2, 3, 2, 2, 7), false);
            s.execute("select pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
            try {
                s.execute("update users set org_id = 2, role_id = null, email = 'moved@org2.example' where id = 1");
                List<byte[]> messages = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("select data from pg_logical_slot_get_binary_changes('" + slot
                        + "', null, null, 'proto_version', '1', 'publication_names', 'commitcast_pub')")) {
                    while (rs.next()) {
                        messages.add(rs.getBytes(1));
                    }
                }
                byte[] update = messages.stream().filter(m -> m[0] == 'U').findFirst().orElse(null);
                assertNotNull(update, "an Update message among " + messages.size() + " decoded messages");
                UpdateMessage decoded = UpdateMessage.parse(update);
                assertEquals('O', decoded.oldKind(), "REPLICA IDENTITY FULL sends the whole old tuple ('O')");
                // columns in table order: id, org_id, email, display_name, role_id, status, created_at, updated_at
                assertEquals("1", decoded.oldValues().get(0));
                assertEquals("1", decoded.oldValues().get(1), "old org_id");
                assertEquals("2", decoded.newValues().get(1), "new org_id");
                assertTrue(decoded.oldValues().get(2).endsWith("@org1.example"), decoded.oldValues().toString());
                assertEquals("moved@org2.example", decoded.newValues().get(2));
                assertEquals(8, decoded.oldValues().size());
            } finally {
                s.execute("select pg_drop_replication_slot('" + slot + "')");
            }
        }
    }

    /** pgoutput protocol v1 Update: 'U', relation oid, 'O'|'K' old tuple, 'N' new tuple. */
    private record UpdateMessage(char oldKind, List<String> oldValues, List<String> newValues) {
        static UpdateMessage parse(byte[] bytes) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            buffer.get(); // 'U'
            buffer.getInt(); // relation oid
            char kind = (char) buffer.get();
            List<String> old = List.of();
            if (kind == 'O' || kind == 'K') {
                old = tuple(buffer);
                char next = (char) buffer.get();
                assertEquals('N', next);
            }
            return new UpdateMessage(kind, old, tuple(buffer));
        }

        private static List<String> tuple(ByteBuffer buffer) {
            int columns = buffer.getShort();
            List<String> values = new ArrayList<>(columns);
            for (int i = 0; i < columns; i++) {
                char type = (char) buffer.get();
                if (type == 't') {
                    byte[] value = new byte[buffer.getInt()];
                    buffer.get(value);
                    values.add(new String(value, StandardCharsets.UTF_8));
                } else {
                    values.add(null); // 'n' null, 'u' unchanged TOAST
                }
            }
            return values;
        }
    }
}
