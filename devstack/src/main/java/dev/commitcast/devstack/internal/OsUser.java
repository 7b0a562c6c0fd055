package dev.commitcast.devstack.internal;

import java.util.ArrayList;
import java.util.List;

/** Who this JVM runs as, and how to run a command as another OS user. */
public final class OsUser {
    private OsUser() {
    }

    public static boolean isRoot() {
        try {
            return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
        } catch (LinkageError | RuntimeException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /** {@code command} prefixed with {@code runuser -u user --} when a user is given. */
    public static List<String> as(String user, List<String> command) {
        if (user == null) {
            return command;
        }
        List<String> result = new ArrayList<>(List.of("runuser", "-u", user, "--"));
        result.addAll(command);
        return result;
    }
}
