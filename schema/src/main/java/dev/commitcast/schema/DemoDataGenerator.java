package dev.commitcast.schema;

import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Loads a deterministic demo/benchmark data set with {@code COPY}: the same {@link DemoDataSpec} always yields the
 * same rows and ids (orgs {@code 1..orgs}, roles and users numbered densely per org, see
 * {@link DemoDataSpec#roleId} and {@link DemoDataSpec#userId}), so benchmarks can address keys without asking the
 * database. Each table draws from its own random stream, so a table's rows do not depend on the other tables'.
 *
 * <p>The load runs in one transaction on the given connection and refuses to touch a database that already has
 * organisations unless {@code reset} is set, which truncates the five tables first.
 */
public final class DemoDataGenerator {
    private static final String[] COMPANY_WORDS = {
        "Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Tyrell", "Cyberdyne", "Soylent",
        "Aperture", "Vandelay", "Wonka", "Gringotts", "Oscorp", "Monarch", "Prestige", "Dunder", "Pied", "Massive"
    };
    private static final String[] COMPANY_SUFFIXES = {"Labs", "Systems", "Industries", "Works", "Group", "Digital"};
    private static final String[] PLANS = {"free", "team", "team", "enterprise"};
    private static final String[] TIMEZONES = {
        "UTC", "Europe/Berlin", "Europe/London", "America/New_York", "America/Los_Angeles", "Asia/Tokyo",
        "Asia/Kolkata", "Australia/Sydney"
    };
    private static final String[] LOCALES = {"en-US", "en-GB", "de-DE", "fr-FR", "ja-JP", "es-ES"};
    private static final String[] ROLE_NAMES = {
        "Owner", "Admin", "Member", "Billing Manager", "Auditor", "Developer", "Maintainer", "Viewer",
        "Support Agent", "Security Officer", "Release Manager", "Analyst", "Guest", "Team Lead", "Recruiter",
        "Finance", "Operations", "Contractor", "Designer", "Data Steward"
    };
    private static final String[] FIRST_NAMES = {
        "Ada", "Alan", "Grace", "Linus", "Barbara", "Ken", "Margaret", "Dennis", "Frances", "Edsger", "Radia",
        "Tim", "Katherine", "John", "Sophie", "Donald", "Hedy", "Niklaus", "Shafi", "Leslie"
    };
    private static final String[] LAST_NAMES = {
        "Lovelace", "Turing", "Hopper", "Torvalds", "Liskov", "Thompson", "Hamilton", "Ritchie", "Allen",
        "Dijkstra", "Perlman", "Berners-Lee", "Johnson", "McCarthy", "Wilson", "Knuth", "Lamarr", "Wirth",
        "Goldwasser", "Lamport"
    };

    private DemoDataGenerator() {
    }

    /** What one load wrote and how long it took. */
    public record LoadResult(long orgs, long settings, long roles, long rolePermissions, long users,
                             Duration elapsed) {
        public long totalRows() {
            return orgs + settings + roles + rolePermissions + users;
        }

        public double rowsPerSecond() {
            return totalRows() / Math.max(1e-9, elapsed.toNanos() / 1e9);
        }
    }

    /**
     * Loads the data set in one transaction; the connection's auto-commit setting is restored afterwards.
     *
     * @throws IllegalStateException when the database already has organisations and {@code reset} is false
     */
    public static LoadResult load(Connection connection, DemoDataSpec spec, boolean reset) throws SQLException {
        long started = System.nanoTime();
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            if (reset) {
                statement.execute("truncate users, role_permissions, roles, org_settings, orgs restart identity");
            } else {
                try (var rs = statement.executeQuery("select exists (select 1 from orgs)")) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        throw new IllegalStateException("the database already has organisations; "
                                + "load demo data into an empty database or pass reset=true (--reset) to replace them");
                    }
                }
            }
            PGConnection pg = connection.unwrap(PGConnection.class);
            copy(pg, "copy orgs (id, slug, name, plan) from stdin", w -> writeOrgs(w, spec));
            copy(pg, "copy org_settings (org_id, timezone, locale, sso_enabled, mfa_required, session_ttl_minutes,"
                    + " data_retention_days) from stdin", w -> writeSettings(w, spec));
            copy(pg, "copy roles (id, org_id, name, description, is_system) from stdin", w -> writeRoles(w, spec));
            copy(pg, "copy role_permissions (org_id, role_id, permission) from stdin",
                    w -> writeRolePermissions(w, spec));
            copy(pg, "copy users (id, org_id, email, display_name, role_id, status) from stdin",
                    w -> writeUsers(w, spec));
            // Explicit ids bypass the identity sequences: move them past the loaded rows so later inserts work.
            for (String table : new String[] {"orgs", "roles", "users"}) {
                statement.execute("select setval(pg_get_serial_sequence('" + table + "', 'id'),"
                        + " greatest(1, (select coalesce(max(id), 0) from " + table + ")))");
            }
            connection.commit();
            statement.execute("analyze orgs, org_settings, roles, role_permissions, users");
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
        return new LoadResult(spec.orgs(), spec.orgs(), spec.totalRoles(), spec.totalRolePermissions(),
                spec.totalUsers(), Duration.ofNanos(System.nanoTime() - started));
    }

    @FunctionalInterface
    private interface RowWriter {
        void write(Writer writer) throws IOException;
    }

    private static void copy(PGConnection pg, String sql, RowWriter rows) throws SQLException {
        try (PGCopyOutputStream out = new PGCopyOutputStream(pg, sql, 1 << 16);
             Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16)) {
            rows.write(writer);
        } catch (IOException e) {
            if (e.getCause() instanceof SQLException sql2) {
                throw sql2;
            }
            throw new UncheckedIOException("COPY failed: " + sql, e);
        }
    }

    private static SplittableRandom stream(DemoDataSpec spec, String table) {
        return new SplittableRandom(spec.seed() ^ ((long) table.hashCode() * 0x9E3779B97F4A7C15L));
    }

    private static void writeOrgs(Writer w, DemoDataSpec spec) throws IOException {
        SplittableRandom random = stream(spec, "orgs");
        for (long org = 1; org <= spec.orgs(); org++) {
            String name = pick(random, COMPANY_WORDS) + " " + pick(random, COMPANY_SUFFIXES) + " " + org;
            row(w, org, "org-" + org, name, pick(random, PLANS));
        }
    }

    private static void writeSettings(Writer w, DemoDataSpec spec) throws IOException {
        SplittableRandom random = stream(spec, "org_settings");
        for (long org = 1; org <= spec.orgs(); org++) {
            row(w, org, pick(random, TIMEZONES), pick(random, LOCALES), bool(random.nextInt(4) == 0),
                    bool(random.nextInt(3) == 0), 60 * (1 + random.nextInt(24)), 30 * (1 + random.nextInt(24)));
        }
    }

    private static void writeRoles(Writer w, DemoDataSpec spec) throws IOException {
        for (long org = 1; org <= spec.orgs(); org++) {
            for (int i = 0; i < spec.rolesPerOrg(); i++) {
                String name = i < ROLE_NAMES.length ? ROLE_NAMES[i] : "Custom Role " + (i + 1);
                row(w, spec.roleId(org, i), org, name, "The " + name + " role of org " + org, bool(i < 3));
            }
        }
    }

    private static void writeRolePermissions(Writer w, DemoDataSpec spec) throws IOException {
        SplittableRandom random = stream(spec, "role_permissions");
        int catalog = PermissionCatalog.size();
        int[] order = new int[catalog];
        for (long org = 1; org <= spec.orgs(); org++) {
            for (int i = 0; i < spec.rolesPerOrg(); i++) {
                for (int k = 0; k < catalog; k++) {
                    order[k] = k;
                }
                // partial Fisher-Yates: the first permissionsPerRole entries are a uniform distinct sample
                for (int k = 0; k < spec.permissionsPerRole(); k++) {
                    int j = k + random.nextInt(catalog - k);
                    int swap = order[k];
                    order[k] = order[j];
                    order[j] = swap;
                    row(w, org, spec.roleId(org, i), PermissionCatalog.get(order[k]));
                }
            }
        }
    }

    private static void writeUsers(Writer w, DemoDataSpec spec) throws IOException {
        SplittableRandom random = stream(spec, "users");
        for (long org = 1; org <= spec.orgs(); org++) {
            for (int i = 0; i < spec.usersPerOrg(); i++) {
                String first = pick(random, FIRST_NAMES);
                String last = pick(random, LAST_NAMES);
                String email = (first + "." + last + "." + (i + 1) + "@org" + org + ".example").toLowerCase();
                Object roleId = random.nextInt(20) == 0 ? null : spec.roleId(org, random.nextInt(spec.rolesPerOrg()));
                int s = random.nextInt(100);
                String status = s < 90 ? "active" : s < 97 ? "invited" : "suspended";
                row(w, spec.userId(org, i), org, email, first + " " + last, roleId, status);
            }
        }
    }

    private static String pick(SplittableRandom random, String[] values) {
        return values[random.nextInt(values.length)];
    }

    private static String bool(boolean value) {
        return value ? "t" : "f";
    }

    /** One row in COPY text format: tab-separated, {@code \N} for null, backslash escapes. */
    private static void row(Writer w, Object... values) throws IOException {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                w.write('\t');
            }
            Object value = values[i];
            if (value == null) {
                w.write("\\N");
            } else {
                escape(w, value.toString());
            }
        }
        w.write('\n');
    }

    private static void escape(Writer w, String value) throws IOException {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> w.write("\\\\");
                case '\t' -> w.write("\\t");
                case '\n' -> w.write("\\n");
                case '\r' -> w.write("\\r");
                default -> w.write(c);
            }
        }
    }
}
