package org.jobstack.secret;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.jobstack.support.Api;
import org.jobstack.support.IntegrationTest;
import org.junit.jupiter.api.Test;

/**
 * What a copy of the database gives away: run once per database, on the bytes of its file (H2)
 * or of a {@code pg_dump} (PostgreSQL).
 */
abstract class AbstractSecretsAtRestTest extends IntegrationTest {

    /** Everything the database holds, as a copy or a backup would have it. */
    abstract byte[] dump() throws Exception;

    @Test
    void should_keep_no_token_secret_in_clear_in_a_copy_of_the_database() throws Exception {
        byte[] supplied = new byte[64];
        new SecureRandom().nextBytes(supplied);
        String domain = "dump-" + System.nanoTime() + ".test";
        Api.Response created = api.admin(
                "POST",
                "/instances?Domain=" + domain + "&TokenSecret="
                        + Api.enc(Base64.getEncoder().encodeToString(supplied)),
                null);
        assertThat(created.status()).isEqualTo(201);
        String other = api.newInstance(null);
        Api.Response rotated = api.admin("POST", "/instances/" + other + "/token-secret", null);
        byte[] generated = Base64.getDecoder()
                .decode(rotated.json()
                        .path("data")
                        .path("attributes")
                        .path("token_secret")
                        .asString());

        String copy = new String(dump(), StandardCharsets.ISO_8859_1);

        assertThat(copy)
                .as("the copy is readable: it holds the domain")
                .contains(domain)
                .contains(other);
        for (byte[] secret : List.of(supplied, generated)) {
            assertThat(copy)
                    .doesNotContain(new String(secret, StandardCharsets.ISO_8859_1))
                    .doesNotContain(Base64.getEncoder().encodeToString(secret))
                    .doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(secret))
                    .doesNotContain(HexFormat.of().formatHex(secret));
        }
        assertThat(copy).contains("enc:v1:");
    }
}
