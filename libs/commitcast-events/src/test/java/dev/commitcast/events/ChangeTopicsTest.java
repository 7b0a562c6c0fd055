package dev.commitcast.events;

import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChangeTopicsTest {

    @Test
    void changeTopicsAreThePrefixASchemaAndATable() {
        Pattern topics = ChangeTopics.pattern("commitcast");
        assertEquals("commitcast.public.users", ChangeTopics.topic("commitcast", "public", "users"));
        assertTrue(topics.matcher("commitcast.public.users").matches());
        assertTrue(topics.matcher("commitcast.catalog.product_images").matches());
        assertFalse(topics.matcher("commitcast.dlq").matches(), "the dead-letter topic is not a change topic");
        assertFalse(topics.matcher(ChangeTopics.dlq("commitcast")).matches());
        assertFalse(topics.matcher("commitcast.transaction").matches());
        assertFalse(topics.matcher("commitcastXpublic.users").matches());
        assertFalse(topics.matcher("commitcast.public.users.extra").matches());
        assertFalse(topics.matcher("other.public.users").matches());
        assertEquals(Optional.of("catalog.products"), ChangeTopics.qualifiedTable("cc.it", "cc.it.catalog.products"));
        assertEquals(Optional.empty(), ChangeTopics.qualifiedTable("cc", "cc.dlq"));
        assertTrue(ChangeTopics.validPrefix("e2e-faults-1x"));
        assertFalse(ChangeTopics.validPrefix("a b"));
    }
}
