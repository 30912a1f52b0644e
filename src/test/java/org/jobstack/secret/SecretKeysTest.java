package org.jobstack.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jobstack.config.StartupRefusal;
import org.jobstack.support.Api;
import org.jobstack.support.ServerContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The key that encrypts stored secrets: generated, required, checked against the database, rotated. */
class SecretKeysTest {

    @TempDir
    Path dataDir;

    @Test
    void should_generate_a_private_key_file_and_refuse_a_node_without_it_or_with_another_key() throws Exception {
        String domain;
        try (ServerContext node = ServerContext.start(dataDir, Map.of())) {
            domain = node.api().newInstance(null);
            assertThat(node.api().cliToken(domain, "io.cozy.jobs")).isNotBlank();
        }
        Path keyFile = dataDir.resolve("secret-key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
                .isEqualTo("rw-------");
        EncryptionKey key = EncryptionKey.parse(Files.readString(keyFile), "key");

        assertRefused(
                Map.of("jobstack.secrets.key", EncryptionKey.generate().base64()), "encrypted with key " + key.id());
        Files.move(keyFile, dataDir.resolve("kept"));
        assertRefused(Map.of(), "no secret key (" + keyFile + " is missing)");
        assertThat(keyFile)
                .as("no new key made while the database holds secrets")
                .doesNotExist();
        assertRefused(Map.of("jobstack.secrets.key", "bm90IGEga2V5"), "must hold 32 bytes");
        Files.move(dataDir.resolve("kept"), keyFile);

        try (ServerContext node = ServerContext.start(dataDir, Map.of())) {
            assertThat(tokenWorks(node.api(), domain)).isTrue();
        }
    }

    @Test
    void should_encrypt_the_clear_secrets_of_an_earlier_version_at_start() throws Exception {
        byte[] secret = new byte[64];
        secret[0] = 7;
        String clear = Base64.getEncoder().encodeToString(secret);
        String domain;
        try (ServerContext node = ServerContext.start(dataDir, Map.of())) {
            domain = node.api().newInstance(null);
            jdbc(node)
                    .sql("UPDATE instance SET token_secret = ? WHERE domain = ?")
                    .params(clear, domain)
                    .update();
            assertThat(tokenWorks(node.api(), domain))
                    .as("a clear secret is read as it is")
                    .isTrue();
        }

        try (ServerContext node = ServerContext.start(dataDir, Map.of())) {
            String stored = storedSecret(node, domain);
            assertThat(stored).startsWith("enc:v1:").doesNotContain(clear);
            assertThat(node.context().getBean(SecretBox.class).open("instance.token_secret", stored))
                    .isEqualTo(secret);
            assertThat(tokenWorks(node.api(), domain)).isTrue();
        }
    }

    @Test
    void should_keep_every_instance_token_valid_through_a_rotation_then_refuse_the_retired_key() throws Exception {
        EncryptionKey old = EncryptionKey.generate();
        EncryptionKey next = EncryptionKey.generate();
        List<String> domains;
        Map<String, String> tokens = new HashMap<>();
        try (ServerContext node = ServerContext.start(dataDir, Map.of("jobstack.secrets.key", old.base64()))) {
            domains = List.of(node.api().newInstance(null), node.api().newInstance(null));
            domains.forEach(d -> tokens.put(d, node.api().cliToken(d, "io.cozy.jobs")));
        }

        Map<String, String> both =
                Map.of("jobstack.secrets.key", next.base64(), "jobstack.secrets.previous-keys", old.base64());
        try (ServerContext node = ServerContext.start(dataDir, both)) {
            Api.Response rotated = node.api().admin("POST", "/secrets/rotate", null);

            assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
            var attributes = rotated.json().path("data").path("attributes");
            assertThat(attributes.path("key_id").asString()).isEqualTo(next.id());
            assertThat(attributes.path("resealed").asInt()).isEqualTo(2);
            assertThat(attributes.path("retired").toString()).isEqualTo("[\"" + old.id() + "\"]");
            for (String d : domains) {
                assertThat(storedSecret(node, d)).startsWith("enc:v1:" + next.id() + ":");
                assertThat(tokenWorks(node.api(), d, tokens.get(d))).isTrue();
            }
        }

        try (ServerContext node = ServerContext.start(dataDir, Map.of("jobstack.secrets.key", next.base64()))) {
            for (String d : domains) {
                assertThat(tokenWorks(node.api(), d, tokens.get(d)))
                        .as("a token minted before the rotation")
                        .isTrue();
            }
        }
        assertRefused(Map.of("jobstack.secrets.key", old.base64()), "was retired by a rotation");
    }

    private void assertRefused(Map<String, String> settings, String reason) {
        assertThatThrownBy(() -> ServerContext.start(dataDir, settings).close())
                .hasRootCauseInstanceOf(StartupRefusal.class)
                .rootCause()
                .hasMessageContaining(reason);
    }

    private static boolean tokenWorks(Api api, String domain) {
        return tokenWorks(api, domain, api.cliToken(domain, "io.cozy.jobs"));
    }

    private static boolean tokenWorks(Api api, String domain, String token) {
        return api.call(domain, token, "GET", "/jobs/queue/log", null).status() == 200;
    }

    private static String storedSecret(ServerContext node, String domain) {
        return jdbc(node)
                .sql("SELECT token_secret FROM instance WHERE domain = ?")
                .param(domain)
                .query(String.class)
                .single();
    }

    private static JdbcClient jdbc(ServerContext node) {
        return node.context().getBean(JdbcClient.class);
    }
}
