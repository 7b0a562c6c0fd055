package dev.commitcast.testsupport;

import java.io.IOException;
import java.nio.file.Files;

/**
 * Checks that a README shows, as its quick start, the code a test really runs: the lines between
 * {@code // quick-start:begin} and {@code // quick-start:end} of a test source, compared without indentation (a README
 * indents its code blocks inside lists).
 */
public final class QuickStart {

    private QuickStart() {
    }

    /**
     * Returns {@code null} when the README (a path from the repository root) contains the region of the test source
     * (also from the root), followed by {@code closing} lines; otherwise what it should show.
     */
    public static String missingFrom(String readme, String source, String closing) throws IOException {
        String code = Files.readString(Repo.root().resolve(source));
        int begin = code.indexOf("// quick-start:begin\n");
        int end = code.indexOf("// quick-start:end");
        if (begin < 0 || end < begin) {
            return source + " has no // quick-start:begin ... // quick-start:end region";
        }
        String region = code.substring(begin + "// quick-start:begin\n".length(), code.lastIndexOf('\n', end) + 1)
                + closing;
        String expected = stripped(region);
        return stripped(Files.readString(Repo.root().resolve(readme))).contains(expected) ? null
                : readme + " does not show, as its quick start, what " + source + " runs:\n" + expected;
    }

    private static String stripped(String text) {
        return String.join("\n", text.lines().map(String::strip).toList());
    }
}
