package org.jobstack.trigger.schedule;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Random;

/**
 * {@code @hourly}, {@code @daily}, {@code @weekly}, {@code @monthly} with their restrictions
 * (reference §4.6): allowed days and an hour window {@code [after, before)}. The actual time is
 * picked from a seed, so one trigger always runs at the same time, on every node and after every
 * restart, while the same service on different instances runs at different times.
 */
public record Periodic(Kind kind, List<Integer> days, int after, int before) {

    public enum Kind {
        HOURLY,
        DAILY,
        WEEKLY,
        MONTHLY
    }

    public Periodic {
        days = List.copyOf(days);
    }

    /**
     * The crontab this trigger runs on: {@code "s m h dom * *"} (monthly), {@code "s m h * * dow"}
     * (weekly), {@code "s m h * * *"} (daily), {@code "s m * * * *"} (hourly).
     *
     * @param seed {@code "<domain>/<worker>/<message>"}
     */
    public String crontab(String seed) {
        Random random = new Random(seedOf(seed));
        int second = random.nextInt(60);
        int minute = random.nextInt(60);
        int hour = after + random.nextInt(before - after);
        return switch (kind) {
            case MONTHLY -> second + " " + minute + " " + hour + " " + days.get(random.nextInt(days.size())) + " * *";
            case WEEKLY -> second + " " + minute + " " + hour + " * * " + days.get(random.nextInt(days.size()));
            case DAILY -> second + " " + minute + " " + hour + " * * *";
            case HOURLY -> second + " " + minute + " * * * *";
        };
    }

    /** A stable 64-bit seed (SHA-256), the same on every JVM and every node. */
    static long seedOf(String seed) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value = (value << 8) | (hash[i] & 0xff);
            }
            return value;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
