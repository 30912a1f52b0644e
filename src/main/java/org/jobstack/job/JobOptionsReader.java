package org.jobstack.job;

import java.time.Duration;
import org.jobstack.common.GoDuration;
import org.jobstack.common.Problem;
import tools.jackson.databind.JsonNode;

/**
 * Reads {@code options} of job and trigger requests: {@code max_exec_count} (a positive integer)
 * and {@code timeout} in seconds, or as a duration string ({@code "90s"}, {@code "5m"}).
 */
public final class JobOptionsReader {

    private JobOptionsReader() {}

    public static JobOptions read(JsonNode options) {
        if (options == null || options.isNull()) {
            return JobOptions.NONE;
        }
        if (!options.isObject()) {
            throw Problem.malformed("options", "options must be an object");
        }
        Integer max = null;
        JsonNode m = options.get("max_exec_count");
        if (m != null && !m.isNull()) {
            if (!m.isIntegralNumber() || m.asLong() < 0 || m.asLong() > 1000) {
                throw Problem.invalid("options/max_exec_count", "max_exec_count must be an integer between 0 and 1000");
            }
            max = m.asInt() == 0 ? null : m.asInt();
        }
        return new JobOptions(max, timeout(options.get("timeout")));
    }

    private static Duration timeout(JsonNode t) {
        if (t == null || t.isNull()) {
            return null;
        }
        try {
            Duration d;
            if (t.isNumber()) {
                if (t.asDouble() < 0 || t.asDouble() > 7 * 24 * 3600) {
                    throw new IllegalArgumentException("out of range");
                }
                d = Duration.ofMillis(Math.round(t.asDouble() * 1000));
            } else if (t.isString()) {
                d = GoDuration.parse(t.asString());
            } else {
                throw new IllegalArgumentException("not a number of seconds nor a duration");
            }
            if (d.isNegative() || d.compareTo(Duration.ofDays(7)) > 0) {
                throw new IllegalArgumentException("out of range");
            }
            return d.isZero() ? null : d;
        } catch (IllegalArgumentException e) {
            throw Problem.invalid(
                    "options/timeout",
                    "timeout must be seconds (60) or a duration (\"90s\", \"5m\") of at most 7 days");
        }
    }
}
