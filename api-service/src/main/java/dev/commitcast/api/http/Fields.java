package dev.commitcast.api.http;

/** Field syntax shared by request bodies and path parameters, mirroring the schema's check constraints. */
final class Fields {

    /** {@code users.email}: {@code local@domain} without spaces. */
    static final String EMAIL = "^[^@\\s]+@[^@\\s]+$";
    /** {@code users.status}. */
    static final String STATUS = "^(active|invited|suspended)$";
    /** {@code role_permissions.permission}. */
    static final String PERMISSION = "^[a-z][a-z0-9_.:-]{0,99}$";

    private Fields() {
    }
}
