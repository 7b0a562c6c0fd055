package dev.commitcast.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class TtlPolicyTest {

    /** nextDouble() == 0: the lowest jitter factor. */
    private static final RandomGenerator LOWEST = () -> 0L;
    /** nextDouble() == 1 - 2^-53: the highest jitter factor. */
    private static final RandomGenerator HIGHEST = () -> -1L;
    private static final RandomGenerator UNUSED = () -> {
        throw new AssertionError("random consulted although jitter is 0");
    };

    private final TtlPolicy defaults = TtlPolicy.defaults();

    @Test
    void defaultsAreTheDocumentedConstants() {
        assertEquals(Duration.ofSeconds(300), defaults.baseL2Ttl(KeyKind.SETTINGS));
        assertEquals(Duration.ofSeconds(600), defaults.baseL2Ttl(KeyKind.ROLES));
        assertEquals(Duration.ofSeconds(900), defaults.baseL2Ttl(KeyKind.ROLE_PERMISSIONS));
        assertEquals(Duration.ofSeconds(15), defaults.baseL2Ttl(KeyKind.USER));
        assertEquals(Duration.ofSeconds(60), defaults.baseL2Ttl(KeyKind.USER_LIST));
        assertEquals(Duration.ofSeconds(5), defaults.baseNegativeTtl());
        assertEquals(0.1, defaults.jitter());
        assertEquals(Duration.ofSeconds(60), defaults.l1MaxTtl());
    }

    @ParameterizedTest
    @EnumSource(KeyKind.class)
    void jitteredTtlsStayWithinTenPercentAndSpreadOverTheRange(KeyKind kind) {
        long base = defaults.baseL2Ttl(kind).toMillis();
        RandomGenerator random = new SplittableRandom(42);
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < 10_000; i++) {
            long ttl = defaults.l2Ttl(kind, random).toMillis();
            min = Math.min(min, ttl);
            max = Math.max(max, ttl);
        }
        assertTrue(min >= base * 0.9 && max <= base * 1.1, "[" + min + ", " + max + "] for base " + base);
        assertTrue(min < base * 0.91 && max > base * 1.09, "jitter does not spread: [" + min + ", " + max + "]");
    }

    @Test
    void extremeRandomValuesHitTheBounds() {
        assertEquals(Duration.ofMillis(13_500), defaults.l2Ttl(KeyKind.USER, LOWEST));
        assertEquals(Duration.ofMillis(16_500), defaults.l2Ttl(KeyKind.USER, HIGHEST));
        assertEquals(Duration.ofMillis(4_500), defaults.negativeTtl(LOWEST));
        assertEquals(Duration.ofMillis(5_500), defaults.negativeTtl(HIGHEST));
    }

    @Test
    void zeroJitterReturnsTheBaseWithoutConsultingRandom() {
        TtlPolicy policy = TtlPolicy.builder().jitter(0).build();
        assertEquals(Duration.ofSeconds(15), policy.l2Ttl(KeyKind.USER, UNUSED));
        assertEquals(Duration.ofSeconds(5), policy.negativeTtl(UNUSED));
    }

    @Test
    void subMillisecondTtlsBecomeOneMillisecond() {
        TtlPolicy policy = TtlPolicy.builder().user(Duration.ofNanos(10)).build();
        assertEquals(Duration.ofMillis(1), policy.l2Ttl(KeyKind.USER, LOWEST));
    }

    @Test
    void l1TtlIsTheBaseL2TtlCappedByL1Max() {
        assertEquals(Duration.ofSeconds(15), defaults.l1Ttl(KeyKind.USER));
        assertEquals(Duration.ofSeconds(60), defaults.l1Ttl(KeyKind.USER_LIST));
        assertEquals(Duration.ofSeconds(60), defaults.l1Ttl(KeyKind.SETTINGS));
        TtlPolicy policy = TtlPolicy.builder().l1MaxTtl(Duration.ofSeconds(10)).settings(Duration.ofHours(1)).build();
        assertEquals(Duration.ofSeconds(10), policy.l1Ttl(KeyKind.USER));
        assertEquals(Duration.ofSeconds(10), policy.l1Ttl(KeyKind.SETTINGS));
    }

    @Test
    void builderSettersOverrideEachValueAndToBuilderCopiesThem() {
        TtlPolicy policy = TtlPolicy.builder()
                .settings(Duration.ofHours(1)).roles(Duration.ofHours(2)).rolePermissions(Duration.ofHours(3))
                .user(Duration.ofMinutes(10)).userList(Duration.ofMinutes(5)).negative(Duration.ofSeconds(2))
                .jitter(0.2).l1MaxTtl(Duration.ofSeconds(30)).build();
        assertEquals(Duration.ofHours(1), policy.baseL2Ttl(KeyKind.SETTINGS));
        assertEquals(Duration.ofHours(2), policy.baseL2Ttl(KeyKind.ROLES));
        assertEquals(Duration.ofHours(3), policy.baseL2Ttl(KeyKind.ROLE_PERMISSIONS));
        assertEquals(Duration.ofMinutes(10), policy.baseL2Ttl(KeyKind.USER));
        assertEquals(Duration.ofMinutes(5), policy.baseL2Ttl(KeyKind.USER_LIST));
        assertEquals(Duration.ofSeconds(2), policy.baseNegativeTtl());
        assertEquals(0.2, policy.jitter());
        assertEquals(Duration.ofSeconds(30), policy.l1MaxTtl());
        assertEquals(policy.toString(), policy.toBuilder().build().toString());
    }

    static Stream<Arguments> invalidSettings() {
        return Stream.of(
                invalid(b -> b.settings(Duration.ZERO), "TtlPolicy l2Ttl(SETTINGS) must be positive, was PT0S"),
                invalid(b -> b.user(Duration.ofSeconds(-1)), "TtlPolicy l2Ttl(USER) must be positive, was PT-1S"),
                invalid(b -> b.negative(Duration.ZERO), "TtlPolicy negative must be positive, was PT0S"),
                invalid(b -> b.l1MaxTtl(Duration.ofMillis(-5)), "TtlPolicy l1MaxTtl must be positive, was PT-0.005S"),
                invalid(b -> b.userList(Duration.ofDays(366)),
                        "TtlPolicy l2Ttl(USER_LIST) must be at most PT8760H, was PT8784H"),
                invalid(b -> b.jitter(-0.01),
                        "TtlPolicy jitter must be in [0, 0.5], was -0.01; use 0 to disable jitter"),
                invalid(b -> b.jitter(0.51),
                        "TtlPolicy jitter must be in [0, 0.5], was 0.51; use 0 to disable jitter"),
                invalid(b -> b.jitter(Double.NaN),
                        "TtlPolicy jitter must be in [0, 0.5], was NaN; use 0 to disable jitter"));
    }

    private static Arguments invalid(Consumer<TtlPolicy.Builder> setting, String message) {
        return arguments(setting, message);
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalidSettings")
    void builderRejectsBadSettingsNamingSettingAndValue(Consumer<TtlPolicy.Builder> setting, String message) {
        TtlPolicy.Builder builder = TtlPolicy.builder();
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> setting.accept(builder)).getMessage());
    }

    @Test
    void builderRejectsNullDuration() {
        assertEquals("TtlPolicy negative must not be null",
                assertThrows(NullPointerException.class, () -> TtlPolicy.builder().negative(null)).getMessage());
    }

    @Test
    void jitterBoundsAreAccepted() {
        assertEquals(0.5, TtlPolicy.builder().jitter(0.5).build().jitter());
        assertEquals(0.0, TtlPolicy.builder().jitter(0).build().jitter());
    }
}
