package dev.commitcast.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commitcast.infra.MonitoringQueriesTest.Query;
import dev.commitcast.infra.support.PromQl;
import dev.commitcast.cli.Promtool;
import dev.commitcast.infra.support.Repo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prometheus's own checks through promtool (Debian package {@code prometheus}): the compose config and the rules it
 * loads, the rules' unit tests, the local config template once filled in, and the syntax of every dashboard query.
 * Fails, never skips, when promtool is missing.
 */
class PromtoolIT {

    private static final Path PROMETHEUS_DIR = Repo.path("infra/compose/prometheus");
    private static final String TEMPLATE = "infra/prometheus/prometheus-local.yml.template";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z0-9_]+)}");

    /** What the launcher substitutes, with example values; README and the template document the same names. */
    static final Map<String, String> LOCAL_VALUES = Map.of(
            "COMMITCAST_API_TARGETS", "127.0.0.1:8080,127.0.0.1:8081",
            "COMMITCAST_INVALIDATOR_TARGETS", "127.0.0.1:8091",
            "COMMITCAST_CDC_TARGETS", "127.0.0.1:8090",
            "COMMITCAST_RULES_DIR", Repo.path("infra/compose/prometheus/rules").toString());

    @Test
    void composeConfigAndTheRulesItLoadsAreValid() {
        Promtool.Result result = Promtool.run(PROMETHEUS_DIR, "check", "config", "prometheus.yml");
        assertTrue(result.ok(), "promtool check config prometheus.yml:\n" + result.output());
        assertTrue(result.output().contains("1 rule files found"), "prometheus.yml must load rules/*.yml (paths are "
                + "relative to the config file):\n" + result.output());
    }

    @Test
    void alertRulesAreValid() {
        Promtool.Result result = Promtool.run(PROMETHEUS_DIR, "check", "rules", "rules/commitcast.rules.yml");
        assertTrue(result.ok(), "promtool check rules:\n" + result.output());
    }

    @Test
    void alertRuleUnitTestsPass() {
        Promtool.Result result = Promtool.run(PROMETHEUS_DIR, "test", "rules", "tests/commitcast.rules.test.yml");
        assertTrue(result.ok(), "promtool test rules:\n" + result.output());
    }

    @Test
    void localTemplateFilledInIsAValidConfigWithTheSameRules(@TempDir Path dir) throws IOException {
        String template = Files.readString(Repo.path(TEMPLATE));
        Set<String> placeholders = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            placeholders.add(m.group(1));
        }
        assertEquals(new TreeSet<>(LOCAL_VALUES.keySet()), placeholders, TEMPLATE + " placeholders");
        String readme = Files.readString(Repo.path("infra/compose/README.md"));
        placeholders.forEach(p -> assertTrue(readme.contains("${" + p + "}"), "README.md does not document ${" + p + "}"));

        String config = template;
        for (Map.Entry<String, String> value : LOCAL_VALUES.entrySet()) {
            config = config.replace("${" + value.getKey() + "}", value.getValue());
        }
        Path file = dir.resolve("prometheus.yml");
        Files.writeString(file, config);
        Promtool.Result result = Promtool.run(dir, "check", "config", file.toString());
        assertTrue(result.ok(), "promtool check config on the filled-in template:\n" + result.output() + "\n" + config);
        assertTrue(result.output().contains("1 rule files found"), "the template must load the compose rules:\n"
                + result.output());
    }

    /** promtool has no "parse expression" command: each dashboard query becomes a recording rule to check. */
    @Test
    void everyDashboardQueryIsValidPromQl(@TempDir Path dir) throws IOException {
        List<Query> queries = MonitoringQueriesTest.dashboardQueries();
        assertFalse(queries.isEmpty());
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard-queries\n    rules:\n");
        int i = 0;
        for (Query query : queries) {
            rules.append("      - record: dashboard:query_").append(i++).append('\n')
                    .append("        # ").append(query.where().replace('\n', ' ')).append('\n')
                    .append("        expr: |\n");
            PromQl.withGrafanaVariables(query.expr()).lines().forEach(l -> rules.append("          ").append(l)
                    .append('\n'));
        }
        Path file = dir.resolve("dashboard-queries.yml");
        Files.writeString(file, rules);
        Promtool.Result result = Promtool.run(dir, "check", "rules", file.toString());
        assertTrue(result.ok(), "a dashboard query is not valid PromQL:\n" + result.output() + "\n" + rules);
        assertTrue(result.output().contains(queries.size() + " rules found"), result.output());
    }
}
