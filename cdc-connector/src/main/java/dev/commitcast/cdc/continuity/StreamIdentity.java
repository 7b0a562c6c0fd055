package dev.commitcast.cdc.continuity;

import java.util.Map;

/**
 * Which change stream a stored position belongs to: the database cluster ({@code IDENTIFY_SYSTEM}'s system
 * identifier, new with every {@code initdb}) and its timeline (new with every promotion of a standby; the WAL of the
 * old timeline past the fork may never have reached the new one).
 *
 * @param systemId the system identifier, as Postgres prints it
 * @param timeline the timeline id
 */
record StreamIdentity(String systemId, int timeline) {

    Map<String, Object> toMap() {
        return Map.of("system_id", systemId, "timeline", timeline);
    }

    static StreamIdentity fromMap(Map<String, Object> map) {
        Object system = map.get("system_id");
        Object timeline = map.get("timeline");
        if (system == null || !(timeline instanceof Number number)) {
            return null;
        }
        return new StreamIdentity(system.toString(), number.intValue());
    }

    @Override
    public String toString() {
        return "system " + systemId + " timeline " + timeline;
    }
}
