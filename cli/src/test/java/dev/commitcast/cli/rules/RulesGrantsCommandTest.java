package dev.commitcast.cli.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commitcast.cli.CliRunner;
import dev.commitcast.cli.ExitCodes;
import dev.commitcast.testsupport.Repo;
import org.junit.jupiter.api.Test;

/** {@code ./commitcast rules grants --rules examples/orgs-demo/rules.yml}, as the README shows it. */
class RulesGrantsCommandTest {

    @Test
    void printsTheRolesAndAclUsersOfTheRulesFileWithoutPasswords() {
        CliRunner.Run run = CliRunner.run("rules", "grants", "--rules", Repo.demoRulesFile().toString());
        assertEquals(ExitCodes.OK, run.exit(), run.all());
        String out = run.out();
        assertTrue(out.contains("CREATE ROLE commitcast_cdc LOGIN REPLICATION;"), out);
        assertTrue(out.contains("GRANT SELECT ON TABLE public.org_settings, public.orgs, public.role_permissions, "
                + "public.roles, public.users TO commitcast_cdc;"), out);
        assertTrue(out.contains("ACL SETUSER commitcast-api reset on resetchannels &cc:sys:evictions %RW~cc:v1:* "
                + "%RW~cc:sys:gen:* %R~cc:sys:* -@all"), out);
        assertTrue(out.contains("ACL SETUSER commitcast-invalidator reset on resetchannels &cc:sys:evictions "
                + "~cc:v1:* ~cc:sys:* -@all"), out);
        assertTrue(!out.contains("PASSWORD '") && out.lines().filter(l -> l.startsWith("ACL "))
                .noneMatch(l -> l.contains(" >") || l.contains(" #")), "no password is printed: " + out);
    }

    @Test
    void anotherKeySpaceAndRoleNames() {
        CliRunner.Run run = CliRunner.run("rules", "grants", "--rules", Repo.catalogRulesFile().toString(),
                "--key-space", "shop", "--cdc-role", "shop_cdc", "--api-user", "shop-api");
        assertEquals(ExitCodes.OK, run.exit(), run.all());
        assertTrue(run.out().contains("CREATE ROLE shop_cdc LOGIN REPLICATION;"), run.out());
        assertTrue(run.out().contains("GRANT USAGE ON SCHEMA catalog TO shop_cdc;"), run.out());
        assertTrue(run.out().contains("ACL SETUSER shop-api reset on resetchannels &shop:sys:evictions"), run.out());
    }
}
