package org.jobstack.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jobstack.support.MutableClock;
import org.junit.jupiter.api.Test;

class TokenServiceTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final byte[] SECRET = secret();
    private static final byte[] OTHER_SECRET = secret();

    private final TokenService tokens = new TokenService(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void should_verify_what_it_mints() {
        String jwt = tokens.mint("alice.test", SECRET, Audience.CLI, "CLI", "io.cozy.jobs", Duration.ofMinutes(30));

        TokenService.VerifiedToken token = tokens.verify("alice.test", SECRET, jwt);

        assertThat(token.audience()).isEqualTo(Audience.CLI);
        assertThat(token.subject()).isEqualTo("CLI");
        assertThat(token.scope()).isEqualTo("io.cozy.jobs");
    }

    @Test
    void should_refuse_a_token_of_another_instance_or_secret() {
        String jwt = tokens.mint("alice.test", SECRET, Audience.APP, "banks", null, Duration.ofMinutes(30));

        assertThatThrownBy(() -> tokens.verify("bob.test", SECRET, jwt)).hasMessageContaining("another instance");
        assertThatThrownBy(() -> tokens.verify("alice.test", OTHER_SECRET, jwt)).hasMessageContaining("signature");
    }

    @Test
    void should_refuse_expired_tokens() {
        TokenService past = new TokenService(Clock.fixed(NOW.minus(Duration.ofHours(2)), ZoneOffset.UTC));
        String jwt = past.mint("alice.test", SECRET, Audience.CLI, "CLI", null, Duration.ofMinutes(30));

        assertThatThrownBy(() -> tokens.verify("alice.test", SECRET, jwt)).hasMessageContaining("expired");
    }

    @Test
    void should_refuse_a_token_verified_before_for_another_instance_or_secret() {
        String jwt = tokens.mint("alice.test", SECRET, Audience.APP, "banks", null, Duration.ofMinutes(30));
        tokens.verify("alice.test", SECRET, jwt);

        assertThatThrownBy(() -> tokens.verify("bob.test", SECRET, jwt)).hasMessageContaining("another instance");
        assertThatThrownBy(() -> tokens.verify("alice.test", OTHER_SECRET, jwt)).hasMessageContaining("signature");
        assertThat(tokens.verify("alice.test", SECRET.clone(), jwt).subject()).isEqualTo("banks");
    }

    @Test
    void should_refuse_a_token_verified_before_once_it_expires() {
        MutableClock clock = new MutableClock();
        clock.freeze();
        TokenService service = new TokenService(clock);
        String jwt = service.mint("alice.test", SECRET, Audience.CLI, "CLI", "io.cozy.jobs", Duration.ofSeconds(10));
        assertThat(service.verify("alice.test", SECRET, jwt).scope()).isEqualTo("io.cozy.jobs");

        clock.advance(Duration.ofSeconds(39)); // 10 s of validity, 30 s of clock skew allowed
        assertThat(service.verify("alice.test", SECRET, jwt).scope()).isEqualTo("io.cozy.jobs");
        clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(() -> service.verify("alice.test", SECRET, jwt)).hasMessageContaining("expired");
    }

    @Test
    void should_refuse_a_token_verified_before_when_the_clock_goes_back_before_its_start() throws Exception {
        MutableClock clock = new MutableClock();
        clock.freeze();
        TokenService service = new TokenService(clock);
        Instant now = clock.instant();
        String jwt = sign(
                JWSAlgorithm.HS512,
                SECRET,
                claims("alice.test", "cli")
                        .notBeforeTime(Date.from(now))
                        .expirationTime(Date.from(now.plusSeconds(600))));
        assertThat(service.verify("alice.test", SECRET, jwt).audience()).isEqualTo(Audience.CLI);

        clock.advance(Duration.ofSeconds(-31));
        assertThatThrownBy(() -> service.verify("alice.test", SECRET, jwt)).hasMessageContaining("not valid yet");
    }

    @Test
    void should_give_tokens_without_expiry_thirty_minutes_from_issue_like_the_stack() throws Exception {
        String fresh = sign(
                JWSAlgorithm.HS512, SECRET, claims("alice.test", "app").issueTime(Date.from(NOW.minusSeconds(60))));
        String stale = sign(
                JWSAlgorithm.HS512, SECRET, claims("alice.test", "app").issueTime(Date.from(NOW.minusSeconds(3600))));

        assertThat(tokens.verify("alice.test", SECRET, fresh).audience()).isEqualTo(Audience.APP);
        assertThatThrownBy(() -> tokens.verify("alice.test", SECRET, stale)).hasMessageContaining("expired");
    }

    @Test
    void should_refuse_other_algorithms_unsigned_tokens_and_unknown_audiences() throws Exception {
        String hs256 = sign(
                JWSAlgorithm.HS256, SECRET, claims("alice.test", "cli").expirationTime(Date.from(NOW.plusSeconds(60))));
        String none = new PlainJWT(
                        new PlainHeader(),
                        claims("alice.test", "cli")
                                .expirationTime(Date.from(NOW.plusSeconds(60)))
                                .build())
                .serialize();
        String share = sign(
                JWSAlgorithm.HS512,
                SECRET,
                claims("alice.test", "share").expirationTime(Date.from(NOW.plusSeconds(60))));

        assertThatThrownBy(() -> tokens.verify("alice.test", SECRET, hs256)).hasMessageContaining("HS512");
        assertThatThrownBy(() -> tokens.verify("alice.test", SECRET, none)).isInstanceOf(InvalidTokenException.class);
        assertThatThrownBy(() -> tokens.verify("alice.test", SECRET, share)).hasMessageContaining("audience");
    }

    @Property(tries = 500)
    void should_refuse_any_garbage_with_an_invalid_token_error(@ForAll("garbage") String token) {
        assertThatThrownBy(() -> tokens.verify("alice.test", SECRET, token)).isInstanceOf(InvalidTokenException.class);
    }

    @Property(tries = 200)
    void should_refuse_any_tampered_token(@ForAll("positions") int position) {
        String jwt = tokens.mint("alice.test", SECRET, Audience.CLI, "CLI", "io.cozy.jobs", Duration.ofMinutes(30));
        int at = position % jwt.length();
        char replaced = jwt.charAt(at) == 'A' ? 'B' : 'A';
        String tampered = jwt.substring(0, at) + replaced + jwt.substring(at + 1);
        if (!decoded(tampered).equals(decoded(jwt))) {
            assertThatThrownBy(() -> tokens.verify("alice.test", SECRET, tampered))
                    .isInstanceOf(InvalidTokenException.class);
        }
    }

    /** The bytes a token stands for: base64 leaves some low bits of a segment's last character unused. */
    private static List<String> decoded(String jwt) {
        List<String> parts = new ArrayList<>();
        for (String part : jwt.split("\\.", -1)) {
            try {
                parts.add(HexFormat.of().formatHex(Base64.getUrlDecoder().decode(part)));
            } catch (IllegalArgumentException notBase64) {
                parts.add("!" + part);
            }
        }
        return parts;
    }

    @Provide
    Arbitrary<String> garbage() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(400),
                Arbitraries.strings().withChars("abcXYZ012-_.=").ofMaxLength(200),
                Arbitraries.strings().ofMinLength(20_000).ofMaxLength(20_001));
    }

    @Provide
    Arbitrary<Integer> positions() {
        return Arbitraries.integers().between(0, 10_000);
    }

    private static JWTClaimsSet.Builder claims(String issuer, String audience) {
        return new JWTClaimsSet.Builder().issuer(issuer).audience(audience).subject("s");
    }

    private static String sign(JWSAlgorithm alg, byte[] secret, JWTClaimsSet.Builder claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(alg), claims.build());
        jwt.sign(new MACSigner(secret));
        return jwt.serialize();
    }

    private static byte[] secret() {
        byte[] s = new byte[64];
        new SecureRandom().nextBytes(s);
        return s;
    }
}
