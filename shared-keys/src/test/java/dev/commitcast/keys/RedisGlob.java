package dev.commitcast.keys;

/**
 * Test oracle: Redis glob matching as implemented by {@code stringmatchlen} in Redis' {@code util.c}, used by
 * {@code SCAN MATCH} and {@code KEYS}. Supports {@code *}, {@code ?}, {@code [...]} with {@code ^} negation and
 * {@code a-z} ranges, and {@code \} escapes; every other character, {@code { }} included, is literal.
 */
final class RedisGlob {

    private RedisGlob() {
    }

    static boolean matches(String pattern, String string) {
        return match(pattern, 0, string, 0);
    }

    private static boolean match(String p, int pi, String s, int si) {
        while (pi < p.length()) {
            char c = p.charAt(pi);
            switch (c) {
                case '*' -> {
                    while (pi + 1 < p.length() && p.charAt(pi + 1) == '*') {
                        pi++;
                    }
                    if (pi + 1 == p.length()) {
                        return true;
                    }
                    for (int k = si; k <= s.length(); k++) {
                        if (match(p, pi + 1, s, k)) {
                            return true;
                        }
                    }
                    return false;
                }
                case '?' -> {
                    if (si >= s.length()) {
                        return false;
                    }
                    si++;
                    pi++;
                }
                case '[' -> {
                    if (si >= s.length()) {
                        return false;
                    }
                    int end = matchClass(p, pi + 1, s.charAt(si));
                    if (end < 0) {
                        return false;
                    }
                    pi = end;
                    si++;
                }
                default -> {
                    if (c == '\\' && pi + 1 < p.length()) {
                        pi++;
                        c = p.charAt(pi);
                    }
                    if (si >= s.length() || s.charAt(si) != c) {
                        return false;
                    }
                    si++;
                    pi++;
                }
            }
        }
        return si == s.length();
    }

    /** Matches {@code ch} against the class starting after '['; returns the index after ']' or -1. */
    private static int matchClass(String p, int pi, char ch) {
        boolean not = pi < p.length() && p.charAt(pi) == '^';
        if (not) {
            pi++;
        }
        boolean matched = false;
        while (pi < p.length() && p.charAt(pi) != ']') {
            char c = p.charAt(pi);
            if (c == '\\' && pi + 1 < p.length()) {
                pi++;
                matched |= p.charAt(pi) == ch;
            } else if (pi + 2 < p.length() && p.charAt(pi + 1) == '-' && p.charAt(pi + 2) != ']') {
                char lo = (char) Math.min(c, p.charAt(pi + 2));
                char hi = (char) Math.max(c, p.charAt(pi + 2));
                matched |= ch >= lo && ch <= hi;
                pi += 2;
            } else {
                matched |= c == ch;
            }
            pi++;
        }
        // Redis treats an unterminated class as ending at the end of the pattern.
        return matched != not ? Math.min(pi + 1, p.length()) : -1;
    }
}
