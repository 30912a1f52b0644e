package org.jobstack.common;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stack's "bigduration" (purge ages): {@code <n>Y} (365 days), {@code <n>M} (30 days),
 * {@code <n>W}, {@code <n>D}, in that order, then an optional Go duration: {@code 2W},
 * {@code 3D}, {@code 1Y2M}, {@code 1D12h}.
 */
public final class BigDuration {

    private static final Pattern FORM =
            Pattern.compile("(?:(\\d{1,4})Y)?(?:(\\d{1,5})M)?(?:(\\d{1,6})W)?(?:(\\d{1,6})D)?(.*)");

    private BigDuration() {}

    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty duration");
        }
        Matcher m = FORM.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid duration \"" + text + "\"");
        }
        Duration d = Duration.ofDays(
                365L * number(m.group(1)) + 30L * number(m.group(2)) + 7L * number(m.group(3)) + number(m.group(4)));
        String rest = m.group(5);
        if (!rest.isEmpty()) {
            Duration go = GoDuration.parse(rest);
            if (go.isNegative()) {
                throw new IllegalArgumentException("negative duration \"" + text + "\"");
            }
            d = d.plus(go);
        } else if (m.group(1) == null && m.group(2) == null && m.group(3) == null && m.group(4) == null) {
            throw new IllegalArgumentException("invalid duration \"" + text + "\"");
        }
        return d;
    }

    private static long number(String group) {
        return group == null ? 0 : Long.parseLong(group);
    }
}
