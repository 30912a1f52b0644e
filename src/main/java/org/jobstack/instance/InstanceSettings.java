package org.jobstack.instance;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jobstack.common.Problem;

/** Validation of what an administrator may set on an instance; each refusal names its parameter. */
final class InstanceSettings {

    public static final int SECRET_BYTES = 64;
    /** The longest token secret accepted: its encrypted form must fit {@code instance.token_secret}. */
    static final int MAX_SECRET_BYTES = 512;

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern LOCALE = Pattern.compile("[a-z]{2,3}([_-][A-Za-z0-9]{2,8})?");

    private InstanceSettings() {}

    public static String domain(String raw) {
        if (raw == null || raw.isBlank()) {
            throw Problem.malformed("domain", "Domain is required");
        }
        String domain = raw.trim().toLowerCase(Locale.ROOT);
        if (domain.length() > 253
                || !domain.chars().allMatch(c -> c < 128)
                || !Arrays.stream(domain.split("\\.", -1))
                        .allMatch(l -> LABEL.matcher(l).matches())) {
            throw Problem.invalid(
                    "domain", "Domain must be a host name such as alice.example.net (no port, no scheme)");
        }
        return domain;
    }

    public static String locale(String raw) {
        if (raw == null || !LOCALE.matcher(raw).matches()) {
            throw Problem.invalid("locale", "Locale must look like en, fr or pt-BR");
        }
        return raw;
    }

    public static String stackUrl(String raw) {
        try {
            URI uri = new URI(raw);
            boolean http = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
            if (!http || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new URISyntaxException(raw, "not an absolute http(s) URL without query");
            }
            return raw.endsWith("/") ? raw : raw + "/";
        } catch (URISyntaxException | NullPointerException e) {
            throw Problem.invalid(
                    "stackURL", "StackURL must be an absolute http(s) URL such as https://alice.example.net/");
        }
    }

    public static byte[] tokenSecret(String base64) {
        byte[] secret;
        try {
            secret = base64.contains("-") || base64.contains("_")
                    ? Base64.getUrlDecoder().decode(base64)
                    : Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw Problem.invalid("tokenSecret", "TokenSecret must be base64");
        }
        if (secret.length < SECRET_BYTES) {
            throw Problem.invalid("tokenSecret", "TokenSecret must hold at least " + SECRET_BYTES + " bytes (HS512)");
        }
        if (secret.length > MAX_SECRET_BYTES) {
            throw Problem.invalid("tokenSecret", "TokenSecret must hold at most " + MAX_SECRET_BYTES + " bytes");
        }
        return secret;
    }
}
