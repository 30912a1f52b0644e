package org.jobstack.trigger.schedule;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses the restrictions of the periodic triggers: {@code on <days>} (weekly), {@code on the
 * <days of month>} (monthly), {@code before/and <hour>}, {@code after/between <hour>}; tokens in any
 * order, later ones overriding earlier ones.
 */
public final class PeriodicParser {

    private static final Map<String, Integer> DAYS = Map.ofEntries(
            Map.entry("sun", 0),
            Map.entry("mon", 1),
            Map.entry("tue", 2),
            Map.entry("wed", 3),
            Map.entry("thu", 4),
            Map.entry("fri", 5),
            Map.entry("sat", 6),
            Map.entry("sunday", 0),
            Map.entry("monday", 1),
            Map.entry("tuesday", 2),
            Map.entry("wednesday", 3),
            Map.entry("thursday", 4),
            Map.entry("friday", 5),
            Map.entry("saturday", 6));
    private static final int MAX_TOKENS = 64;

    private PeriodicParser() {}

    public static Periodic parse(Periodic.Kind kind, String arguments) {
        String[] tokens =
                arguments.strip().isEmpty() ? new String[0] : arguments.strip().split("\\s+");
        if (tokens.length > MAX_TOKENS) {
            throw new InvalidScheduleException("too many words");
        }
        List<Integer> days = kind == Periodic.Kind.MONTHLY ? range(1, 28) : range(0, 6);
        int after = 0;
        int before = 24;
        for (int i = 0; i < tokens.length; i++) {
            String token = tokens[i];
            switch (token) {
                case "on" -> {
                    boolean ofMonth = i + 1 < tokens.length && tokens[i + 1].equals("the");
                    if (ofMonth) {
                        i++;
                    }
                    if (ofMonth != (kind == Periodic.Kind.MONTHLY)
                            || kind == Periodic.Kind.HOURLY
                            || kind == Periodic.Kind.DAILY) {
                        throw new InvalidScheduleException(
                                "\"on\" is for weekly (on monday) or monthly (on the 1st" + " day: on the 1) triggers");
                    }
                    String list = next(tokens, ++i, "on");
                    days = ofMonth ? daysOfMonth(list) : daysOfWeek(list);
                }
                case "before", "and" -> before = hour(next(tokens, ++i, token), true);
                case "after", "between" -> after = hour(next(tokens, ++i, token), false);
                default -> throw new InvalidScheduleException("invalid field \"" + token + "\"");
            }
        }
        if (after >= before) {
            throw new InvalidScheduleException(
                    "the hour window is empty: after " + after + "h, before " + before + "h");
        }
        return new Periodic(kind, days, after, before);
    }

    private static String next(String[] tokens, int i, String keyword) {
        if (i >= tokens.length) {
            throw new InvalidScheduleException("\"" + keyword + "\" must be followed by a value");
        }
        return tokens[i];
    }

    /** {@code 1am}…{@code 12pm}…{@code 11pm}; {@code 12am} is 0, or 24 as an upper bound. */
    static int hour(String text, boolean upperBound) {
        if (!text.matches("(1[0-2]|[1-9])(am|pm)")) {
            throw new InvalidScheduleException("\"" + text + "\" is not an hour such as 8am or 6pm");
        }
        int h = Integer.parseInt(text.substring(0, text.length() - 2));
        boolean pm = text.endsWith("pm");
        int hour = h == 12 ? (pm ? 12 : 0) : (pm ? h + 12 : h);
        return upperBound && hour == 0 ? 24 : hour;
    }

    private static List<Integer> daysOfWeek(String list) {
        Set<Integer> days = new LinkedHashSet<>();
        for (String item : list.split(",", -1)) {
            switch (item) {
                case "weekday" -> days.addAll(range(1, 5));
                case "weekend" -> days.addAll(List.of(0, 6));
                default -> {
                    String[] ends = item.split("-", -1);
                    if (ends.length == 1) {
                        days.add(day(item));
                    } else if (ends.length == 2) {
                        int from = day(ends[0]);
                        int to = day(ends[1]);
                        if (from == to) {
                            throw new InvalidScheduleException("empty day range \"" + item + "\"");
                        }
                        for (int d = from; d != to; d = (d + 1) % 7) {
                            days.add(d);
                        }
                        days.add(to);
                    } else {
                        throw new InvalidScheduleException("invalid day range \"" + item + "\"");
                    }
                }
            }
        }
        return new ArrayList<>(days);
    }

    private static int day(String name) {
        Integer day = DAYS.get(name);
        if (day == null) {
            throw new InvalidScheduleException("\"" + name + "\" is not a day (mon…sun, monday…sunday)");
        }
        return day;
    }

    private static List<Integer> daysOfMonth(String list) {
        Set<Integer> days = new LinkedHashSet<>();
        for (String item : list.split(",", -1)) {
            String[] ends = item.split("-", -1);
            if (ends.length > 2) {
                throw new InvalidScheduleException("invalid day range \"" + item + "\"");
            }
            int from = dayOfMonth(ends[0]);
            int to = ends.length == 2 ? dayOfMonth(ends[1]) : from;
            if (ends.length == 2 && from >= to) {
                throw new InvalidScheduleException("invalid day range \"" + item + "\" (start must be before end)");
            }
            days.addAll(range(from, to));
        }
        return new ArrayList<>(days);
    }

    private static int dayOfMonth(String text) {
        if (!text.matches("[0-9]{1,2}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > 31) {
            throw new InvalidScheduleException("\"" + text + "\" is not a day of the month (1-31)");
        }
        return Integer.parseInt(text);
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> all = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            all.add(i);
        }
        return all;
    }
}
