package dev.commitcast.cli.status;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When {@code up} calls the invalidators' consumer group settled, from what each instance's /metrics says. */
class GroupCoverageTest {

    private static PrometheusText instance(Integer partitions, String... owned) {
        StringBuilder text = new StringBuilder();
        if (partitions != null) {
            text.append(GroupCoverage.PARTITIONS).append(' ').append(partitions).append(".0\n");
        }
        for (String topicPartition : owned) {
            String[] tp = topicPartition.split(":");
            text.append(GroupCoverage.LAG_RECORDS).append("{partition=\"").append(tp[1]).append("\",topic=\"")
                    .append(tp[0]).append("\",} 0.0\n");
        }
        return PrometheusText.parse(text.toString());
    }

    @Test
    void everyPartitionOwnedAndEveryInstanceBusyIsSettled() {
        GroupCoverage group = GroupCoverage.of(List.of(instance(3, "a:0", "a:1"), instance(3, "b:0")));
        assertTrue(group.settled(), group.toString());
        assertEquals(0, group.unowned());
    }

    @Test
    void aRebalanceLeavesPartitionsWithoutOwner() {
        // the first member gave up a:1 and b:0; the newcomer has not been assigned them yet
        GroupCoverage group = GroupCoverage.of(List.of(instance(3, "a:0"), instance(3)));
        assertFalse(group.settled(), group.toString());
        assertEquals(2, group.unowned());
        assertEquals("1 of 3 partitions owned, 1 of 2 instances own none", group.toString());
    }

    @Test
    void aNewcomerWithoutPartitionsIsNotSettledEvenWhenTheOldMemberStillOwnsAll() {
        assertFalse(GroupCoverage.of(List.of(instance(3, "a:0", "a:1", "b:0"), instance(3))).settled());
    }

    @Test
    void moreInstancesThanPartitionsMayIdle() {
        assertTrue(GroupCoverage.of(List.of(instance(1, "a:0"), instance(1))).settled());
    }

    @Test
    void anUnknownPartitionCountIsNotSettled() {
        GroupCoverage group = GroupCoverage.of(List.of(instance(null, "a:0")));
        assertFalse(group.settled());
        assertNull(group.unowned());
        GroupCoverage noTopicsYet = GroupCoverage.of(List.of(instance(0)));
        assertFalse(noTopicsYet.settled(), "no change topic yet: nothing to own, nothing consumed");
    }
}
