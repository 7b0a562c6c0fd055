package dev.commitcast.cli.events;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a JSON-lines file written by {@code record} ({@link EventLines}), line by line: blank lines are skipped, a
 * line that does not parse becomes a malformed item carrying its 1-based line number, and reading goes on.
 */
public final class FileEventSource implements EventSource {
    private final Path file;
    private final BufferedReader reader;
    private long lineNumber;

    private FileEventSource(Path file, BufferedReader reader) {
        this.file = file;
        this.reader = reader;
    }

    /** Opens the file; {@link IllegalStateException} naming it when it does not exist or cannot be read. */
    public static FileEventSource open(Path file) {
        try {
            return new FileEventSource(file, Files.newBufferedReader(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("no such file: " + file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public SourcedEvent next() {
        try {
            String line;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    return SourcedEvent.ofLine(lineNumber, EventLines.parse(line));
                } catch (IllegalArgumentException e) {
                    return SourcedEvent.malformedLine(lineNumber, e.getMessage());
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " after line " + lineNumber, e);
        }
    }

    @Override
    public String describe() {
        return file.toString();
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file, e);
        }
    }
}
