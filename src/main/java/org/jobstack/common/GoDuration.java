package org.jobstack.common;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Map;

/**
 * Go's {@code time.ParseDuration}: an optional sign, then one or more {@code <decimal><unit>} with
 * no spaces ({@code 1h30m}, {@code 1.5h}, {@code .5h}, {@code 300ms}); the bare {@code "0"} is
 * valid; units ns, us, µs, μs, ms, s, m, h; no days. Values beyond ±2562047h are refused.
 */
public final class GoDuration {

    private static final int MAX_LENGTH = 128;
    private static final Map<String, Long> UNITS = Map.of(
            "ns",
            1L,
            "us",
            1_000L,
            "\u00b5s",
            1_000L,
            "\u03bcs",
            1_000L,
            "ms",
            1_000_000L,
            "s",
            1_000_000_000L,
            "m",
            60_000_000_000L,
            "h",
            3_600_000_000_000L);
    private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);
    private static final BigInteger MIN_MAGNITUDE =
            BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE);

    private GoDuration() {}

    public static Duration parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty duration");
        }
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("duration longer than " + MAX_LENGTH + " characters");
        }
        String s = text;
        boolean negative = false;
        if (s.charAt(0) == '-' || s.charAt(0) == '+') {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.isEmpty()) {
            throw invalid(text);
        }
        BigInteger total = BigInteger.ZERO;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) && s.charAt(i) < 128 || s.charAt(i) == '.')) {
                i++;
            }
            String number = s.substring(start, i);
            if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')) {
                throw invalid(text);
            }
            int unitStart = i;
            while (i < s.length() && s.charAt(i) != '.' && !(Character.isDigit(s.charAt(i)) && s.charAt(i) < 128)) {
                i++;
            }
            String unit = s.substring(unitStart, i);
            if (unit.isEmpty()) {
                throw new IllegalArgumentException(
                        "missing unit in duration \"" + text + "\" (use ns, us, ms, s, m or h)");
            }
            Long nanosPerUnit = UNITS.get(unit);
            if (nanosPerUnit == null) {
                throw new IllegalArgumentException(
                        "unknown unit \"" + unit + "\" in duration \"" + text + "\" (use ns, us, ms, s, m or h)");
            }
            BigDecimal value = new BigDecimal(number.startsWith(".") ? "0" + number : number);
            total = total.add(value.multiply(BigDecimal.valueOf(nanosPerUnit))
                    .setScale(0, RoundingMode.DOWN)
                    .toBigInteger());
            if (total.compareTo(MIN_MAGNITUDE) > 0) {
                throw new IllegalArgumentException("duration \"" + text + "\" is out of range");
            }
        }
        if (!negative && total.compareTo(MAX) > 0) {
            throw new IllegalArgumentException("duration \"" + text + "\" is out of range");
        }
        BigInteger signed = negative ? total.negate() : total;
        return Duration.ofNanos(signed.longValueExact());
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException(
                "invalid duration \"" + text + "\" (expected e.g. 10m, 1h30m, 1.5h, 300ms)");
    }
}
