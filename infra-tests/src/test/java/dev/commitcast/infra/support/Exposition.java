package dev.commitcast.infra.support;

import java.util.Set;
import java.util.TreeSet;

/** Reads the Prometheus text exposition format (version 0.0.4). */
public final class Exposition {

    private Exposition() {
    }

    /** The sample names in a scrape (the part of each sample line before its labels or value). */
    public static Set<String> sampleNames(String scrape) {
        Set<String> names = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = 0;
            while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                end++;
            }
            names.add(line.substring(0, end));
        }
        return names;
    }
}
