package dev.commitcast.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commitcast.infra.support.ComposeFile;
import dev.commitcast.infra.support.ExportedMetrics;
import dev.commitcast.infra.support.PromQl;
import dev.commitcast.infra.support.Repo;
import dev.commitcast.infra.support.YamlFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard and the Prometheus alert rules: structure, and every metric they query is one the services
 * export (src/test/resources/exported-metrics.txt, itself checked against a live scrape by
 * PlatformMetricsScrapeIT). PromQL syntax is checked by promtool in PromtoolIT.
 */
class MonitoringQueriesTest {

    static final String DASHBOARD = "infra/compose/grafana/dashboards/commitcast.json";
    static final String RULES = "infra/compose/prometheus/rules/commitcast.rules.yml";
    static final String RULE_TESTS = "infra/compose/prometheus/tests/commitcast.rules.test.yml";
    private static final Pattern JOB_MATCHER = Pattern.compile("\\bjob\\s*(=~|=)\\s*\"([^\"]*)\"");

    /** An expression and where it comes from, for messages. */
    record Query(String where, String expr) {
    }

    @Test
    void everyPanelHasTheProvisionedDatasourceAndAQuery() {
        String datasourceUid = provisionedDatasourceUid();
        JsonNode dashboard = YamlFiles.json(Repo.path(DASHBOARD));
        assertFalse(dashboard.path("uid").asText().isBlank(), "the dashboard needs a fixed uid for links");
        List<JsonNode> panels = panels(dashboard);
        assertTrue(panels.size() >= 10, "expected the full dashboard, found " + panels.size() + " panels");
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : panels) {
            String name = "panel '" + panel.path("title").asText() + "'";
            assertTrue(ids.add(panel.path("id").asInt()), name + " reuses id " + panel.path("id"));
            assertEquals(datasourceUid, panel.path("datasource").path("uid").asText(), name + ": datasource uid");
            assertEquals("prometheus", panel.path("datasource").path("type").asText(), name + ": datasource type");
            assertTrue(panel.path("targets").isArray() && !panel.path("targets").isEmpty(), name + " has no query");
            for (JsonNode target : panel.path("targets")) {
                assertFalse(target.path("expr").asText().isBlank(), name + " target " + target.path("refId")
                        + " has an empty expr");
                JsonNode ds = target.path("datasource");
                assertTrue(ds.isMissingNode() || datasourceUid.equals(ds.path("uid").asText()),
                        name + " target " + target.path("refId") + " uses datasource " + ds);
            }
        }
    }

    @Test
    void dashboardAndAlertsQueryOnlyExportedMetrics() {
        Set<String> exported = ExportedMetrics.load().all();
        Map<String, List<String>> unknown = new TreeMap<>();
        List<Query> queries = new ArrayList<>(dashboardQueries());
        queries.addAll(alertQueries());
        for (Query query : queries) {
            Set<String> names = PromQl.metricNames(query.expr());
            assertFalse(names.isEmpty(), query.where() + " selects no metric: " + query.expr());
            for (String name : names) {
                if (!exported.contains(name)) {
                    unknown.computeIfAbsent(name, n -> new ArrayList<>()).add(query.where());
                }
            }
        }
        assertTrue(unknown.isEmpty(), () -> "metrics not in exported-metrics.txt (a typo, or a metric the services "
                + "do not export):\n" + unknown.entrySet().stream().map(e -> "  " + e.getKey() + " in " + e.getValue())
                .reduce("", (a, b) -> a + b + "\n"));
    }

    @Test
    void jobSelectorsNameScrapedJobs() {
        Set<String> jobs = new TreeSet<>();
        for (JsonNode job : YamlFiles.tree(Repo.path("infra/compose/prometheus/prometheus.yml")).path("scrape_configs")) {
            jobs.add(job.path("job_name").asText());
        }
        List<Query> queries = new ArrayList<>(dashboardQueries());
        queries.addAll(alertQueries());
        for (Query query : queries) {
            Matcher m = JOB_MATCHER.matcher(query.expr());
            while (m.find()) {
                Pattern selector = Pattern.compile(m.group(1).equals("=") ? Pattern.quote(m.group(2)) : m.group(2));
                assertTrue(jobs.stream().anyMatch(j -> selector.matcher(j).matches()), query.where() + " selects job "
                        + m.group(2) + ", but prometheus.yml scrapes " + jobs);
            }
        }
    }

    @Test
    void everyAlertHasSeverityAndSummaryAndAUnitTestThatFiresIt() {
        Set<String> firedInTests = new TreeSet<>();
        for (JsonNode test : YamlFiles.tree(Repo.path(RULE_TESTS)).path("tests")) {
            for (JsonNode check : test.path("alert_rule_test")) {
                if (!check.path("exp_alerts").isEmpty()) {
                    firedInTests.add(check.path("alertname").asText());
                }
            }
        }
        for (JsonNode rule : alertRules()) {
            String alert = rule.path("alert").asText();
            assertTrue(Set.of("warning", "critical").contains(rule.path("labels").path("severity").asText()),
                    alert + ": severity must be warning or critical");
            assertFalse(rule.path("annotations").path("summary").asText().isBlank(), alert + " has no summary");
            assertTrue(firedInTests.contains(alert), alert + " is never expected to fire in " + RULE_TESTS);
        }
    }

    @Test
    void grafanaProvisioningMatchesTheComposeMounts() {
        ComposeFile compose = ComposeFile.load(Repo.path(ComposeSchemaTest.COMPOSE));
        Map<String, String> mounts = new LinkedHashMap<>();
        compose.volumes("grafana").forEach(v -> mounts.put(v[0], v[1]));
        String dashboardsInContainer = mounts.get("./grafana/dashboards");
        assertTrue(dashboardsInContainer != null, "grafana must mount ./grafana/dashboards: " + mounts);
        assertEquals("/etc/grafana/provisioning", mounts.get("./grafana/provisioning"));

        JsonNode providers = YamlFiles.tree(Repo.path("infra/compose/grafana/provisioning/dashboards/commitcast.yml"))
                .path("providers");
        assertEquals(dashboardsInContainer, providers.path(0).path("options").path("path").asText(),
                "the dashboard provider must read the directory compose mounts");
        String home = compose.environment("grafana").get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH");
        assertTrue(home.startsWith(dashboardsInContainer + "/"), "home dashboard outside the mounted directory: " + home);
        assertTrue(Files.isRegularFile(Repo.path("infra/compose/grafana/dashboards")
                .resolve(home.substring(dashboardsInContainer.length() + 1))), "home dashboard file missing: " + home);

        JsonNode datasource = YamlFiles.tree(Repo.path("infra/compose/grafana/provisioning/datasources/prometheus.yml"))
                .path("datasources").path(0);
        String url = datasource.path("url").asText();
        assertTrue(url.matches("http://prometheus:9090/?"), "the datasource must point at the compose Prometheus: " + url);
    }

    static List<Query> dashboardQueries() {
        List<Query> queries = new ArrayList<>();
        for (JsonNode panel : panels(YamlFiles.json(Repo.path(DASHBOARD)))) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(new Query("panel '" + panel.path("title").asText() + "' " + target.path("refId").asText(),
                        target.path("expr").asText()));
            }
        }
        return queries;
    }

    static List<Query> alertQueries() {
        return alertRules().stream().map(r -> new Query("alert " + r.path("alert").asText(), r.path("expr").asText()))
                .toList();
    }

    private static List<JsonNode> alertRules() {
        List<JsonNode> rules = new ArrayList<>();
        for (JsonNode group : YamlFiles.tree(Repo.path(RULES)).path("groups")) {
            group.path("rules").forEach(rules::add);
        }
        assertFalse(rules.isEmpty(), RULES + " has no rules");
        return rules;
    }

    /** Every non-row panel, including those nested in collapsed rows. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            if (panel.path("type").asText().equals("row")) {
                panel.path("panels").forEach(panels::add);
            } else {
                panels.add(panel);
            }
        }
        return panels;
    }

    private static String provisionedDatasourceUid() {
        Path file = Repo.path("infra/compose/grafana/provisioning/datasources/prometheus.yml");
        JsonNode datasource = YamlFiles.tree(file).path("datasources").path(0);
        assertEquals("prometheus", datasource.path("type").asText(), file + ": datasource type");
        String uid = datasource.path("uid").asText();
        assertFalse(uid.isBlank(), file + " must fix the datasource uid the dashboard references");
        return uid;
    }
}
