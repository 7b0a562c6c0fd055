package dev.commitcast.keys;

/**
 * The kinds of cached value. Each kind is one read endpoint of the API and one key shape (see {@link KeyCodec}).
 */
public enum KeyKind {
    /** An organisation's settings row: {@code cc:v1:org:{42}:settings}. */
    SETTINGS(false),
    /** All roles of an organisation: {@code cc:v1:org:{42}:roles}. */
    ROLES(false),
    /** The permissions of one role: {@code cc:v1:org:{42}:role:7:perms}. */
    ROLE_PERMISSIONS(true),
    /** One user: {@code cc:v1:org:{42}:user:9}. */
    USER(true),
    /**
     * The first page of an organisation's users at the maximum page size: {@code cc:v1:org:{42}:users:first}.
     * Later pages are not cached, so a single key covers the list.
     */
    USER_LIST(false);

    private final boolean hasId;

    KeyKind(boolean hasId) {
        this.hasId = hasId;
    }

    /** Returns whether keys of this kind carry an entity id besides the organisation id. */
    public boolean hasId() {
        return hasId;
    }
}
