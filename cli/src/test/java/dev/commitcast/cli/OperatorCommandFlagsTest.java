package dev.commitcast.cli;

import dev.commitcast.testsupport.Repo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every operator command rejects bad flags with exit code 2 and a message naming the problem, and fails with 1 and
 * {@code no running platform} when it needs an endpoint that neither a flag nor a running platform gives.
 */
class OperatorCommandFlagsTest {
    private static Path home;
    private static String previousHome;

    @BeforeAll
    static void noPlatform() throws IOException {
        home = Files.createTempDirectory("commitcast-no-platform");
        previousHome = System.getProperty(CommitcastCli.HOME_PROPERTY);
        System.setProperty(CommitcastCli.HOME_PROPERTY, home.toString());
    }

    @AfterAll
    static void restoreHome() {
        if (previousHome == null) {
            System.clearProperty(CommitcastCli.HOME_PROPERTY);
        } else {
            System.setProperty(CommitcastCli.HOME_PROPERTY, previousHome);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "record                                                      | Missing required option: '--out=FILE'",
            "record --out x.jsonl --for 2x                               | '2x' is not a duration",
            "record --out x.jsonl --kafka nohostport                     | is not a Kafka bootstrap list",
            "record --out x.jsonl --topic-prefix bad/prefix              | is not a topic prefix",
            "record --out x.jsonl --max-records 0 --kafka 127.0.0.1:1    | --max-records: must be >= 1",
            "replay                                                      | Missing required argument",
            "replay --file x.jsonl --topic commitcast.public.users --from-offset 0 | mutually exclusive",
            "replay --topic commitcast.public.users                      | Missing required argument",
            "replay --topic commitcast.public.users --from-offset 1 --from-time 2026-01-01T00:00:00Z | expected only one match",
            "replay --topic commitcast.public.users --from-time yesterday | 'yesterday' is not an ISO-8601 time",
            "replay --topic commitcast.public.users --from-offset -1     | --from-offset: -1 is negative",
            "replay --topic other.public.users --from-offset 0           | is neither a change topic",
            "replay --file x.jsonl --key-space BAD                       | illegal character",
            "replay --file x.jsonl --batch 0                             | --batch: 0 is not in 1..10000",
            "replay --file x.jsonl --redis localhost:6379                | is not a Redis URI",
            "flush                                                       | Missing required option: '--namespace=NS'",
            "flush --namespace bogus --redis redis://127.0.0.1:1 --rules DEMO | not a namespace: \"bogus\"",
            "flush --namespace tag={0} --redis redis://127.0.0.1:1 --rules DEMO | the tag must be a rendered hash-tag value",
            "flush --namespace kinds=NOPE --redis redis://127.0.0.1:1 --rules DEMO | unknown kind \"NOPE\"",
            "rules check --rules /nonexistent/rules.yml                 | cannot read the rules file",
            "rules test                                                  | Missing required parameter",
            "warm                                                        | Missing required argument",
            "warm --org 1 --top 2                                        | mutually exclusive",
            "warm --org 0 --api http://127.0.0.1:1                       | --org: must be >= 1",
            "warm --org 1 --api ftp://host                               | is not an http(s) URL",
            "status --interval 2s                                        | --interval needs --watch",
            "status --watch --interval soon                              | 'soon' is not a duration",
            "status --api not-a-url                                      | is not an http(s) URL",
            "status --no-such-flag                                       | Unknown option: '--no-such-flag'"})
    void badFlagsExitWithUsage(String args, String message) {
        CliRunner.Run run = CliRunner.run(args.strip().replace("DEMO", Repo.demoRulesFile().toString())
                .split("\\s+"));
        assertEquals(args.startsWith("rules check") ? ExitCodes.FAILED : ExitCodes.USAGE, run.exit(), run.all());
        assertTrue(run.err().contains(message), "expected '" + message + "' in\n" + run.all());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "status",
            "record --out x.jsonl",
            "replay --topic commitcast.public.users --from-offset 0",
            "replay --file x.jsonl",
            "warm --org 1",
            "flush --namespace tag=1 --yes"})
    void withoutPlatformOrFlagsItSaysSo(String args) {
        CliRunner.Run run = CliRunner.run(args.strip().split("\\s+"));
        assertEquals(ExitCodes.FAILED, run.exit(), run.all());
        assertTrue(run.err().contains(RunningPlatform.NOT_RUNNING), run.all());
    }

    @Test
    void aMissingFileIsNamed() {
        CliRunner.Run run = CliRunner.run("replay", "--file", home.resolve("absent.jsonl").toString(), "--dry-run");
        assertEquals(ExitCodes.FAILED, run.exit(), run.all());
        assertTrue(run.err().contains("no such file: " + home.resolve("absent.jsonl")), run.all());
    }

    @Test
    void anUnreachableRedisIsNamed() {
        CliRunner.Run run = CliRunner.run("flush", "--namespace", "tag=1", "--yes", "--redis", "redis://127.0.0.1:1",
                "--rules", Repo.demoRulesFile().toString());
        assertEquals(ExitCodes.FAILED, run.exit(), run.all());
        assertTrue(run.err().contains("cannot connect to Redis at redis://127.0.0.1:1"), run.all());
    }

    @Test
    void unreachableApiInstancesFailWarm() {
        CliRunner.Run run = CliRunner.run("warm", "--org", "1", "--api", "http://127.0.0.1:1");
        assertEquals(ExitCodes.FAILED, run.exit(), run.all());
        assertTrue(run.out().contains("http://127.0.0.1:1  DOWN: unreachable (connection refused)"), run.all());
        assertTrue(run.err().contains("no api-service instance answered"), run.all());
    }

    @Test
    void anExistingOutputFileIsNotOverwritten() throws IOException {
        Path existing = Files.writeString(home.resolve("existing.jsonl"), "keep me\n");
        CliRunner.Run run = CliRunner.run("record", "--out", existing.toString(), "--kafka", "127.0.0.1:1");
        assertEquals(ExitCodes.FAILED, run.exit(), run.all());
        assertTrue(run.err().contains("exists; pass --overwrite"), run.all());
        assertEquals("keep me\n", Files.readString(existing));
    }

    @Test
    void everyOperatorCommandHasHelpWithExitCodes() {
        for (String command : new String[] {"status", "record", "replay", "warm", "flush", "rules"}) {
            CliRunner.Run run = CliRunner.run(command, "--help");
            assertEquals(ExitCodes.OK, run.exit(), run.all());
            assertTrue(run.out().contains("Exit codes:") && run.out().contains("3  done, with problems"), run.all());
        }
    }
}
