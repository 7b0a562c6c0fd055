package dev.commitcast.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commitcast.infra.support.ComposeFile;
import dev.commitcast.infra.support.Repo;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * infra/docker/Dockerfile against what compose passes it and what its .dockerignore lets into the build context
 * (a quick check of the rules; ComposeIT builds the images for real).
 */
class DockerfileTest {

    private static final Path DOCKERFILE = Repo.path("infra/docker/Dockerfile");
    private static final Path DOCKERIGNORE = Repo.path("infra/docker/Dockerfile.dockerignore");
    private static final String VERSION = "0.1.0-SNAPSHOT";

    @Test
    void usesTheJre25BaseAndDeclaresEveryBuildArgComposePasses() throws IOException {
        String dockerfile = Files.readString(DOCKERFILE);
        assertTrue(dockerfile.lines().anyMatch(l -> l.equals("ARG JAVA_BASE=eclipse-temurin:25-jre")), "base image");
        assertTrue(dockerfile.lines().anyMatch(l -> l.equals("FROM ${JAVA_BASE}")), "base image from JAVA_BASE");
        assertTrue(dockerfile.lines().noneMatch(l -> l.startsWith("# syntax=")),
                "a syntax directive makes BuildKit fetch its frontend from a registry");
        Set<String> declared = new TreeSet<>();
        Matcher arg = Pattern.compile("(?m)^ARG\\s+([A-Z_]+)").matcher(dockerfile);
        while (arg.find()) {
            declared.add(arg.group(1));
        }
        ComposeFile compose = ComposeFile.load(Repo.path(ComposeSchemaTest.COMPOSE));
        for (String service : compose.serviceNames()) {
            compose.service(service).path("build").path("args").fieldNames().forEachRemaining(name ->
                    assertTrue(declared.contains(name), service + " passes build arg " + name
                            + ", which the Dockerfile does not declare (" + declared + ")"));
        }
    }

    @Test
    void buildContextKeepsWhatTheDockerfileCopies() throws IOException {
        List<Rule> rules = rules(Files.readAllLines(DOCKERIGNORE));
        for (String module : List.of("api-service", "invalidator", "cdc-connector")) {
            for (String path : List.of(module + "/target/" + module + "-" + VERSION + ".jar",
                    module + "/target/lib/lettuce-core-6.8.1.RELEASE.jar", "infra/docker/healthcheck")) {
                assertTrue(included(path, rules), path + " is excluded by " + DOCKERIGNORE.getFileName()
                        + " but the Dockerfile copies it");
            }
            for (String path : List.of(module + "/src/main/java/Foo.java", module + "/target/classes/a.class",
                    ".git/HEAD", ".commitcast/logs/supervisor.log")) {
                assertTrue(!included(path, rules), path + " should stay out of the build context");
            }
        }
        assertEquals(3, Files.readString(DOCKERFILE).lines().filter(l -> l.startsWith("COPY ")).count(),
                "update this test's list of copied paths along with the Dockerfile's COPY lines");
    }

    private record Rule(PathMatcher matcher, boolean exclude) {
    }

    private static List<Rule> rules(List<String> lines) {
        List<Rule> rules = new ArrayList<>();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            boolean exclude = !line.startsWith("!");
            String pattern = (exclude ? line : line.substring(1)).replaceAll("/+$", "");
            rules.add(new Rule(FileSystems.getDefault().getPathMatcher("glob:" + pattern), exclude));
        }
        return rules;
    }

    /** Docker's rule: the last pattern matching the path or one of its parent directories decides. */
    private static boolean included(String path, List<Rule> rules) {
        boolean included = true;
        for (Rule rule : rules) {
            for (Path p = Path.of(path); p != null; p = p.getParent()) {
                if (rule.matcher().matches(p)) {
                    included = !rule.exclude();
                    break;
                }
            }
        }
        return included;
    }
}
