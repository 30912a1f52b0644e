package org.jobstack.trigger.schedule;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.springframework.scheduling.support.CronExpression;

/**
 * {@code @cron}: robfig/cron's grammar (reference §4.4) evaluated with Spring's
 * {@link CronExpression}: 6 fields or 5 (seconds = 0), names, ranges, steps, lists, {@code ?},
 * descriptors and a {@code TZ=}/{@code CRON_TZ=} prefix. Adapted where Spring differs: Spring's
 * Quartz extras ({@code L W #}, weekday 7) are refused, and when both day-of-month and
 * day-of-week are restricted either may match (the Vixie rule), where Spring wants both.
 */
public final class CronSchedule implements Schedule {

    private final CronExpression both;
    private final CronExpression orDayOfWeek;
    private final ZoneId zone;
    private final String spec;

    private CronSchedule(String spec, CronExpression both, CronExpression orDayOfWeek, ZoneId zone) {
        this.spec = spec;
        this.both = both;
        this.orDayOfWeek = orDayOfWeek;
        this.zone = zone;
    }

    /** Parses a spec; it must fire at least once in the coming years ({@code now} is the reference). */
    public static Schedule parse(String arguments, ZoneId defaultZone, Instant now) {
        String spec = arguments.strip();
        ZoneId zone = defaultZone;
        if (spec.startsWith("TZ=") || spec.startsWith("CRON_TZ=")) {
            int space = spec.indexOf(' ');
            if (space < 0) {
                throw new InvalidScheduleException("a time zone prefix must be followed by a schedule");
            }
            String name = spec.substring(spec.indexOf('=') + 1, space);
            try {
                zone = ZoneId.of(name);
            } catch (DateTimeException e) {
                throw new InvalidScheduleException("unknown time zone \"" + name + "\"");
            }
            spec = spec.substring(space + 1).strip();
        }
        if (spec.startsWith("@every")) {
            return EverySchedule.parse(spec.substring("@every".length()));
        }
        Schedule schedule = spec.startsWith("@") ? descriptor(spec, zone) : fields(spec, zone);
        if (schedule.next(now).isEmpty()) {
            throw new InvalidScheduleException("\"" + arguments.strip() + "\" never fires");
        }
        return schedule;
    }

    private static Schedule descriptor(String spec, ZoneId zone) {
        return switch (spec) {
            case "@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly" ->
                new CronSchedule(spec, CronExpression.parse(spec), null, zone);
            default -> throw new InvalidScheduleException("unknown descriptor \"" + spec + "\"");
        };
    }

    private static Schedule fields(String spec, ZoneId zone) {
        String[] fields = spec.split("\\s+");
        if (fields.length == 5) {
            fields = concat("0", fields);
        }
        if (fields.length != 6) {
            throw new InvalidScheduleException("expected 5 or 6 fields (sec min hour dom month dow), got "
                    + fields.length + " in \"" + spec + "\"");
        }
        CronFields.check(fields);
        boolean domStar = CronFields.isStar(fields[3]);
        boolean dowStar = CronFields.isStar(fields[5]);
        try {
            if (domStar || dowStar) {
                return new CronSchedule(spec, CronExpression.parse(String.join(" ", fields)), null, zone);
            }
            String[] byDom = fields.clone();
            byDom[5] = "*";
            String[] byDow = fields.clone();
            byDow[3] = "*";
            return new CronSchedule(
                    spec,
                    CronExpression.parse(String.join(" ", byDom)),
                    CronExpression.parse(String.join(" ", byDow)),
                    zone);
        } catch (IllegalArgumentException e) {
            throw new InvalidScheduleException("invalid cron \"" + spec + "\": " + e.getMessage());
        }
    }

    @Override
    public Optional<Instant> next(Instant after) {
        ZonedDateTime from = after.atZone(zone);
        ZonedDateTime a = both.next(from);
        ZonedDateTime b = orDayOfWeek == null ? null : orDayOfWeek.next(from);
        if (a == null || (b != null && b.isBefore(a))) {
            a = b;
        }
        return Optional.ofNullable(a).map(ZonedDateTime::toInstant);
    }

    @Override
    public String toString() {
        return spec + " (" + zone + ")";
    }

    private static String[] concat(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    /** Field-level checks for what robfig/cron accepts and Spring would read differently. */
    static final class CronFields {

        private static final String[] NAMES = {"sec", "min", "hour", "dom", "month", "dow"};
        private static final int[][] BOUNDS = {{0, 59}, {0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 6}};
        private static final String[] MONTHS = {
            "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"
        };
        private static final String[] DAYS = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

        private CronFields() {}

        static boolean isStar(String field) {
            return field.equals("*") || field.equals("?") || field.equals("*/1") || field.equals("?/1");
        }

        static void check(String[] fields) {
            for (int i = 0; i < fields.length; i++) {
                for (String part : fields[i].split(",", -1)) {
                    checkPart(i, part, fields[i]);
                }
            }
        }

        private static void checkPart(int field, String part, String whole) {
            String[] rangeStep = part.split("/", -1);
            if (rangeStep.length > 2 || part.isEmpty()) {
                throw bad(field, whole);
            }
            if (rangeStep.length == 2) {
                int step = number(field, rangeStep[1], whole, false);
                if (step < 1) {
                    throw bad(field, whole);
                }
            }
            String range = rangeStep[0];
            if (range.equals("*") || range.equals("?")) {
                return;
            }
            String[] ends = range.split("-", -1);
            if (ends.length > 2) {
                throw bad(field, whole);
            }
            int low = number(field, ends[0], whole, true);
            int high = ends.length == 2 ? number(field, ends[1], whole, true) : low;
            if (low < BOUNDS[field][0] || high > BOUNDS[field][1] || low > high) {
                throw new InvalidScheduleException(NAMES[field] + " field \"" + whole + "\" is outside "
                        + BOUNDS[field][0] + "-" + BOUNDS[field][1] + " or has start > end");
            }
        }

        private static int number(int field, String text, String whole, boolean namesAllowed) {
            String lower = text.toLowerCase(Locale.ROOT);
            if (namesAllowed && field == 4) {
                int i = Arrays.asList(MONTHS).indexOf(lower);
                if (i >= 0) {
                    return i + 1;
                }
            }
            if (namesAllowed && field == 5) {
                int i = Arrays.asList(DAYS).indexOf(lower);
                if (i >= 0) {
                    return i;
                }
            }
            if (text.isEmpty() || text.length() > 4 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw bad(field, whole);
            }
            return Integer.parseInt(text);
        }

        private static InvalidScheduleException bad(int field, String whole) {
            return new InvalidScheduleException("invalid " + NAMES[field] + " field \"" + whole + "\"");
        }
    }
}
