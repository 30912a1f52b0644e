package org.jobstack.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.jobstack.secret.SecretBox;
import org.jobstack.support.Api;
import org.jobstack.support.InfoLogs;
import org.jobstack.support.IntegrationTest;
import org.jobstack.support.Jobs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Instance secrets, tokens and the passphrase never show up in logs or in documents. */
@ExtendWith({OutputCaptureExtension.class, InfoLogs.class})
class SecretsTest extends IntegrationTest {

    @Autowired
    SecretBox key;

    @Test
    void should_never_write_secrets_tokens_or_the_passphrase_to_logs_or_documents(CapturedOutput output)
            throws Exception {
        byte[] raw = new byte[64];
        new SecureRandom().nextBytes(raw);
        String secret = Base64.getEncoder().encodeToString(raw);
        String domain = "secrets-" + System.nanoTime() + ".test";
        assertThat(api.admin("POST", "/instances?Domain=" + domain + "&TokenSecret=" + Api.enc(secret), null)
                        .status())
                .isEqualTo(201);
        String token = api.cliToken(domain, SecurityFixture.FULL_SCOPE);
        String forged = token.substring(0, token.lastIndexOf('.') + 1) + "Zm9yZ2VkLXNpZ25hdHVyZQ";

        assertThat(api.call(domain, forged, "GET", "/jobs/triggers", null).status())
                .isEqualTo(401);
        assertThat(api.adminWith(Api.basic("wrong-passphrase-marker"), "GET", "/instances")
                        .status())
                .isEqualTo(401);
        String trigger = api.call(domain, token, "POST", "/jobs/triggers", SecurityFixture.triggerBody("@in", "1h"))
                .json()
                .path("data")
                .path("id")
                .asString();
        String job = api.call(domain, token, "POST", "/jobs/triggers/" + trigger + "/launch", null)
                .json()
                .path("data")
                .path("id")
                .asString();
        Jobs.awaitFinal(api, domain, token, job);
        byte[] other = new byte[64];
        new SecureRandom().nextBytes(other);
        String supplied = Base64.getEncoder().encodeToString(other);
        assertThat(api.admin("PATCH", "/instances/" + domain + "?TokenSecret=" + Api.enc(supplied), null)
                        .status())
                .isEqualTo(200);
        String rotated = api.admin("POST", "/instances/" + domain + "/token-secret", null)
                .json()
                .path("data")
                .path("attributes")
                .path("token_secret")
                .asString();
        assertThat(api.admin("POST", "/secrets/rotate", null).status()).isEqualTo(200);
        String documents = api.admin("GET", "/instances", null).body()
                + api.admin("GET", "/instances/" + domain, null).body()
                + api.call(domain, token, "GET", "/jobs/" + job, null).body()
                + api.call(domain, token, "GET", "/jobs/" + job + "/logs", null).body()
                + api.call(domain, token, "GET", "/jobs/triggers/" + trigger, null)
                        .body()
                + api.call(domain, token, "GET", "/jobs/triggers", null).body();

        String logFile = Files.readString(Path.of(LOG_FILE));
        for (String leaked : new String[] {
            secret,
            supplied,
            rotated,
            key.primary().base64(),
            PASSPHRASE,
            token,
            forged,
            "wrong-passphrase-marker",
            token.substring(token.lastIndexOf('.') + 1)
        }) {
            assertThat(output.getAll()).as("console log").doesNotContain(leaked);
            assertThat(logFile).as("log file").doesNotContain(leaked);
            assertThat(documents).as("documents").doesNotContain(leaked);
        }
        assertThat(output.getAll())
                .contains("Instance " + domain + " created", "Admin request with a wrong passphrase refused");
        assertThat(logFile)
                .contains("Instance " + domain + " created")
                .contains("Secrets re-encrypted with key " + key.primary().id());
    }
}
