package org.jobstack.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * Mints and checks the stack's JWTs: HS512 signed with the instance secret, {@code iss} = domain,
 * {@code aud} = cli | app | konn, {@code sub}, optional {@code scope}.
 */
@Service
public class TokenService {

    /** How long a token without {@code exp} stays valid after {@code iat}, as the stack does. */
    static final Duration VALIDITY_WITHOUT_EXPIRY = Duration.ofMinutes(30);

    private static final Duration CLOCK_SKEW = Duration.ofSeconds(30);
    private static final int MAX_TOKEN_LENGTH = 4 * 1024;

    private final Clock clock;
    private final VerifiedTokens verified = new VerifiedTokens();

    public TokenService(Clock clock) {
        this.clock = clock;
    }

    public String mint(String domain, byte[] secret, Audience audience, String subject, String scope, Duration ttl) {
        Instant now = clock.instant();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(domain)
                .audience(audience.claim())
                .subject(subject)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)));
        if (scope != null && !scope.isBlank()) {
            claims.claim("scope", scope);
        }
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.HS512)
                        .type(JOSEObjectType.JWT)
                        .build(),
                claims.build());
        try {
            jwt.sign(new MACSigner(secret));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }

    /** Checks signature, algorithm, issuer and times; returns the claims that matter. */
    public VerifiedToken verify(String domain, byte[] secret, String token) {
        if (token == null || token.isBlank() || token.length() > MAX_TOKEN_LENGTH) {
            throw new InvalidTokenException("missing or oversized token");
        }
        Instant now = clock.instant();
        VerifiedToken known = verified.get(domain, secret, token, now);
        if (known != null) {
            return known;
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.HS512.equals(jwt.getHeader().getAlgorithm())) {
                throw new InvalidTokenException("tokens must be signed with HS512");
            }
            if (!jwt.verify(new MACVerifier(secret))) {
                throw new InvalidTokenException("bad signature");
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            if (!domain.equals(claims.getIssuer())) {
                throw new InvalidTokenException("token issued for another instance");
            }
            Validity validity = validity(claims, now);
            Audience audience = audience(claims.getAudience());
            String subject = claims.getSubject() == null ? "" : claims.getSubject();
            VerifiedToken result = new VerifiedToken(audience, subject, claims.getStringClaim("scope"));
            verified.put(domain, secret, token, result, now, validity);
            return result;
        } catch (ParseException | JOSEException | IllegalStateException e) {
            throw new InvalidTokenException("unreadable token");
        }
    }

    /** When a token is valid, clock skew allowed: from {@code from} (inclusive) to {@code until} (exclusive). */
    record Validity(Instant from, Instant until) {
        boolean covers(Instant now) {
            return !now.isBefore(from) && now.isBefore(until);
        }
    }

    /** Checks the token's times at {@code now}; returns when it is valid. */
    private static Validity validity(JWTClaimsSet claims, Instant now) {
        Date exp = claims.getExpirationTime();
        Date iat = claims.getIssueTime();
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().isAfter(now.plus(CLOCK_SKEW))) {
            throw new InvalidTokenException("token not valid yet");
        }
        Instant expiry =
                exp != null ? exp.toInstant() : iat != null ? iat.toInstant().plus(VALIDITY_WITHOUT_EXPIRY) : null;
        if (expiry == null) {
            throw new InvalidTokenException("token has neither exp nor iat");
        }
        Instant until = expiry.plus(CLOCK_SKEW);
        if (!now.isBefore(until)) {
            throw new InvalidTokenException("token expired");
        }
        return new Validity(nbf == null ? Instant.MIN : nbf.toInstant().minus(CLOCK_SKEW), until);
    }

    private static Audience audience(List<String> audiences) {
        if (audiences == null || audiences.size() != 1) {
            throw new InvalidTokenException("token must have exactly one audience");
        }
        return Audience.fromClaim(audiences.get(0))
                .orElseThrow(() -> new InvalidTokenException("unknown audience " + audiences.get(0)));
    }

    public record VerifiedToken(Audience audience, String subject, String scope) {}
}
