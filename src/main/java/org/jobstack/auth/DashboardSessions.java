package org.jobstack.auth;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Dashboard sign-ins: a browser that gave the admin passphrase once gets a random session id in an
 * HttpOnly, SameSite=Strict cookie, valid for 12 hours on this node.
 */
@Component
public class DashboardSessions {

    public static final String COOKIE = "jobstack_dashboard";
    static final Duration LIFETIME = Duration.ofHours(12);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Instant> sessions = new ConcurrentHashMap<>();
    private final Clock clock;

    public DashboardSessions(Clock clock) {
        this.clock = clock;
    }

    /** A new session id for a browser that proved it knows the passphrase. */
    public String open() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String id = HexFormat.of().formatHex(bytes);
        Instant now = clock.instant();
        sessions.entrySet().removeIf(e -> e.getValue().isBefore(now));
        sessions.put(id, now.plus(LIFETIME));
        return id;
    }

    public void close(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    /** The cookie header value that sets the session, or clears it with {@code id == null}. */
    public static String cookieHeader(String id) {
        return COOKIE + "=" + (id == null ? "" : id) + "; Path=/; HttpOnly; SameSite=Strict; Max-Age="
                + (id == null ? 0 : LIFETIME.toSeconds());
    }

    boolean isOpen(HttpServletRequest request) {
        String id = sessionId(request);
        Instant expiry = id == null ? null : sessions.get(id);
        return expiry != null && expiry.isAfter(clock.instant());
    }

    public static String sessionId(HttpServletRequest request) {
        if (request.getCookies() == null) {
            return null;
        }
        for (Cookie cookie : request.getCookies()) {
            if (COOKIE.equals(cookie.getName())) {
                return cookie.getValue();
            }
        }
        return null;
    }
}
