package dev.commitcast.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Checks the test oracle itself, so that the namespace pattern tests can trust it. */
class RedisGlobTest {

    @ParameterizedTest(name = "{0} ~ {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "abc        | abc          | true",
            "abc        | abcd         | false",
            "a*         | a            | true",
            "a*c        | abxc         | true",
            "a*c        | abxd         | false",
            "**         | ''           | true",
            "a?c        | abc          | true",
            "a?c        | ac           | false",
            "a[bc]d     | acd          | true",
            "a[^bc]d    | acd          | false",
            "a[^bc]d    | axd          | true",
            "a[0-9]     | a5           | true",
            "a[9-0]     | a5           | true",
            "a[0-9]     | ax           | false",
            "a\\*       | a*           | true",
            "a\\*       | ab           | false",
            "a[\\]]     | a]           | true",
            "{42}:*     | {42}:x       | true",
            "{4}:*      | {42}:x       | false",
            "x:user:*   | x:users:first | false",
            "x:user*    | x:users:first | true",
    })
    void matchesLikeRedis(String pattern, String string, boolean expected) {
        assertEquals(expected, RedisGlob.matches(pattern, string));
    }
}
