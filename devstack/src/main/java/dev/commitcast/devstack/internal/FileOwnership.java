package dev.commitcast.devstack.internal;

import dev.commitcast.devstack.DevStackException;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.List;
import java.util.Set;

/** Hands directories to the OS user a server runs as (root JVM, non-root server). */
final class FileOwnership {
    private FileOwnership() {
    }

    static void handOver(List<Path> paths, String user) throws IOException {
        UserPrincipalLookupService lookup = FileSystems.getDefault().getUserPrincipalLookupService();
        UserPrincipal owner;
        try {
            owner = lookup.lookupPrincipalByName(user);
        } catch (UserPrincipalNotFoundException e) {
            throw new DevStackException("This JVM runs as root and Postgres refuses to run as root, but there is no OS "
                    + "user '" + user + "' to run it as. Create it (installing the postgresql package does: apt-get "
                    + "install postgresql), run the build as a non-root user, or set COMMITCAST_PG_URL.", e);
        }
        GroupPrincipal group = null;
        try {
            group = lookup.lookupPrincipalByGroupName(user);
        } catch (UserPrincipalNotFoundException e) {
            // No group of that name: keep root's group; the owner's permissions are what Postgres needs.
        }
        for (Path path : paths) {
            Files.setOwner(path, owner);
            if (group != null) {
                Files.getFileAttributeView(path, PosixFileAttributeView.class).setGroup(group);
            }
        }
    }

    /** ", and /x/y has mode rwx------" for the first ancestor others cannot traverse, or "". */
    private static String closedAncestor(Path dir) {
        Path absolute = dir.toAbsolutePath();
        Path p = absolute.getRoot();
        for (Path part : absolute) {
            p = p.resolve(part);
            try {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
                if (!perms.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    return ", and " + p + " has mode " + PosixFilePermissions.toString(perms);
                }
            } catch (IOException e) {
                return "";  // it does not exist yet or cannot be read: no better hint than the generic one
            }
        }
        return "";
    }

    /** Fails with the fix when {@code user} cannot write {@code dir} (typically a parent directory of mode 700). */
    static void requireWritableBy(String user, Path dir, Deadline deadline) {
        Path scratch;
        try {
            scratch = Files.createTempFile("devstack-access-check", ".log");
        } catch (IOException e) {
            throw new DevStackException("Could not create a temporary file: " + e, e);
        }
        try {
            int exit = ChildProcess.run("access check", OsUser.as(user, List.of("test", "-w", dir.toString())),
                    scratch, deadline);
            if (exit != 0) {
                throw new DevStackException("OS user '" + user + "' cannot write " + dir + ": Postgres runs as '" + user
                        + "' because this JVM is root" + closedAncestor(dir) + ". Make every parent directory "
                        + "traversable (chmod o+x) or use a work directory that is (DevStackOptions.workDir; the default "
                        + "temporary one is).");
            }
        } finally {
            try {
                Files.deleteIfExists(scratch);
            } catch (IOException ignored) {
                // a leftover empty temp file is harmless
            }
        }
    }
}
