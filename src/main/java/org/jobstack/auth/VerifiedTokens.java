package org.jobstack.auth;

import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens verified lately, by their exact text, so that a client sending the same token on every call
 * does not pay a JSON parse and an HMAC each time. A hit counts only for the instance and secret it
 * was verified with, within the token's validity (as {@link TokenService} computes it) and for at
 * most {@link #KEPT}: a second verification could only give the same answer, as nothing else in a
 * signed token can change.
 */
final class VerifiedTokens {

    static final Duration KEPT = Duration.ofMinutes(1);
    private static final int MAX_KEPT = 10_000;

    private record Kept(
            String domain, byte[] secret, TokenService.VerifiedToken token, TokenService.Validity validity) {}

    private final ConcurrentHashMap<String, Kept> kept = new ConcurrentHashMap<>();

    /** The token verified for this instance and secret, valid at {@code now}; null otherwise. */
    TokenService.VerifiedToken get(String domain, byte[] secret, String token, Instant now) {
        Kept k = kept.get(token);
        if (k == null) {
            return null;
        }
        if (!k.validity().covers(now)) {
            kept.remove(token, k);
            return null;
        }
        if (!k.domain().equals(domain) || !MessageDigest.isEqual(k.secret(), secret)) {
            return null;
        }
        return k.token();
    }

    /** Keeps a token just verified at {@code now}, for its validity but no longer than {@link #KEPT}. */
    void put(
            String domain,
            byte[] secret,
            String token,
            TokenService.VerifiedToken verified,
            Instant now,
            TokenService.Validity validity) {
        Instant latest = now.plus(KEPT);
        if (kept.size() >= MAX_KEPT) {
            kept.clear();
        }
        Instant until = validity.until().isBefore(latest) ? validity.until() : latest;
        kept.put(token, new Kept(domain, secret.clone(), verified, new TokenService.Validity(validity.from(), until)));
    }
}
