package dev.commitcast.devstack;

/**
 * The one unchecked exception of the dev stack: a server could not be found, started, reached or stopped.
 * Messages name the server, what was tried, the log file and its last lines, and how to fix it.
 */
public class DevStackException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DevStackException(String message) {
        super(message);
    }

    public DevStackException(String message, Throwable cause) {
        super(message, cause);
    }
}
