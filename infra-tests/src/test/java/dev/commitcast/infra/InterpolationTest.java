package dev.commitcast.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.commitcast.infra.support.Interpolation;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Compose's interpolation rules as ComposeSemanticsTest applies them. */
class InterpolationTest {

    private static final Map<String, String> ENV = Map.of("SET", "x", "EMPTY", "");

    @Test
    void defaultsApplyToUnsetAndWithColonToEmptyVariables() {
        assertEquals("8080:8080", Interpolation.resolve("${UNSET:-8080}:8080", ENV));
        assertEquals("x", Interpolation.resolve("${SET:-d}", ENV));
        assertEquals("d", Interpolation.resolve("${EMPTY:-d}", ENV));
        assertEquals("", Interpolation.resolve("${EMPTY-d}", ENV));
        assertEquals("d", Interpolation.resolve("${UNSET-d}", ENV));
        assertEquals("", Interpolation.resolve("${UNSET}", ENV));
        assertEquals("x/x", Interpolation.resolve("$SET/${SET}", ENV));
    }

    @Test
    void doubleDollarIsALiteralDollarAndRequiredVariablesFail() {
        assertEquals("PGPASSWORD=\"$P\" psql", Interpolation.resolve("PGPASSWORD=\"$$P\" psql", ENV));
        assertThrows(IllegalArgumentException.class, () -> Interpolation.resolve("${UNSET:?set it}", ENV));
        assertEquals("x", Interpolation.resolve("${SET:?set it}", ENV));
    }
}
