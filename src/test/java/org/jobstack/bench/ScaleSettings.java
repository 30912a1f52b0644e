package org.jobstack.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The settings of {@link ScaleBench} ({@code -Dname=value}), each read with its default; {@link
 * #used()} lists those read so far, as they were used, for the printed header.
 */
final class ScaleSettings {

    private final Properties source;
    private final Map<String, String> used = new TreeMap<>();

    ScaleSettings(Properties source) {
        this.source = source;
    }

    String text(String name, String fallback) {
        String value = source.getProperty(name, fallback).strip();
        used.put(name, value);
        return value;
    }

    int integer(String name, int fallback) {
        return Integer.parseInt(text(name, String.valueOf(fallback)).replace("_", ""));
    }

    double decimal(String name, double fallback) {
        return Double.parseDouble(text(name, String.valueOf(fallback)));
    }

    /** Comma-separated items, blanks dropped. */
    List<String> list(String name, String fallback) {
        return Arrays.stream(text(name, fallback).split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    /** Whitespace-separated words (none when blank). */
    List<String> words(String name, String fallback) {
        String value = text(name, fallback);
        return value.isEmpty() ? List.of() : List.of(value.split("\\s+"));
    }

    String used() {
        StringBuilder line = new StringBuilder();
        used.forEach((k, v) -> line.append(line.length() == 0 ? "" : " ")
                .append(k)
                .append('=')
                .append(v.contains(" ") ? "'" + v + "'" : v));
        return line.toString();
    }
}
