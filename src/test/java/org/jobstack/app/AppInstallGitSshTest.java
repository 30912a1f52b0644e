package org.jobstack.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.jobstack.support.Api;
import org.jobstack.support.IntegrationTest;
import org.jobstack.support.SshGitServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST/PUT /apps} from {@code git+ssh://} sources: a server configured with a key and known
 * hosts, and an ssh git server on loopback.
 */
class AppInstallGitSshTest extends IntegrationTest {

    private static final Path PROBE = Path.of("src/test/resources/apps/probe").toAbsolutePath();
    private static final KeyPair CLIENT = SshGitServer.newKeyPair("Ed25519");
    private static final Path SSH_FILES = sshFiles();

    @TempDir
    Path builds;

    private Git git;
    private SshGitServer server;
    private String domain;
    private String token;

    @DynamicPropertySource
    static void gitSsh(DynamicPropertyRegistry registry) {
        registry.add("jobstack.apps.git-ssh.private-key-file", () -> SSH_FILES.resolve("id_ed25519"));
        registry.add("jobstack.apps.git-ssh.known-hosts-file", () -> SSH_FILES.resolve("known_hosts"));
    }

    @BeforeEach
    void server() throws Exception {
        domain = api.newInstance(null);
        token = api.cliToken(domain, "io.cozy.apps");
        Path work = builds.resolve("git-work");
        copy(PROBE, work);
        git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call();
        git.add().addFilepattern(".").call();
        git.commit().setMessage("2.1.0").setSign(false).call();
        git.tag().setName("v2.1.0").call();
        Files.writeString(
                work.resolve("manifest.webapp"),
                Files.readString(work.resolve("manifest.webapp")).replace("\"2.1.0\"", "\"2.2.0\""));
        git.commit().setAll(true).setMessage("2.2.0").setSign(false).call();
        git.tag().setName("v2.2.0").call();
        Files.writeString(work.resolve("manifest.webapp"), "not json any more");
        git.commit().setAll(true).setMessage("broken").setSign(false).call();
        server = new SshGitServer(git.getRepository(), "git", CLIENT.getPublic());
        Files.writeString(SSH_FILES.resolve("known_hosts"), server.knownHostsLine());
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        git.close();
    }

    @Test
    void should_install_an_app_from_a_git_ssh_source_at_a_tag_and_update_it_to_another() throws IOException {
        String repo = "git+ssh://git@127.0.0.1:" + server.port() + "/probe.git";

        Api.Response tagged = install("probe", repo + "#v2.1.0");
        Api.Response head = install("broken", repo);
        Api.Response updated = api.call(domain, token, "PUT", "/apps/probe?Source=" + Api.enc(repo + "#v2.2.0"), null);

        assertThat(tagged.status()).as(tagged.body()).isEqualTo(202);
        assertThat(attributes(tagged).path("version").asString()).isEqualTo("2.1.0");
        assertThat(attributes(tagged).path("source").asString()).isEqualTo(repo + "#v2.1.0");
        assertThat(head.status()).as("the branch's head has a broken manifest").isEqualTo(400);
        assertThat(updated.status()).as(updated.body()).isEqualTo(202);
        assertThat(attributes(updated).path("version").asString()).isEqualTo("2.2.0");
        assertNoCloneLeft();
    }

    @Test
    void should_refuse_a_git_ssh_source_whose_host_key_is_unknown_and_store_nothing() throws IOException {
        Files.writeString(
                SSH_FILES.resolve("known_hosts"),
                server.knownHostsLine(SshGitServer.newKeyPair("EC").getPublic()));
        String repo = "git+ssh://git@127.0.0.1:" + server.port() + "/probe.git";

        Api.Response r = install("probe", repo + "#v2.1.0");

        assertThat(r.status()).as(r.body()).isEqualTo(422);
        JsonNode error = r.json().path("errors").get(0);
        assertThat(error.path("source").path("parameter").asString()).isEqualTo("Source");
        assertThat(error.path("detail").asString())
                .contains("has changed")
                .contains("jobstack.apps.git-ssh.known-hosts-file");
        assertThat(api.call(domain, token, "GET", "/apps/probe", null).status()).isEqualTo(404);
        assertNoCloneLeft();
    }

    @Test
    void should_answer_not_found_without_the_key_when_the_server_refuses_it() throws IOException {
        String repo = "git+ssh://alice@127.0.0.1:" + server.port() + "/probe.git";

        Api.Response r = install("probe", repo);

        assertThat(r.status()).as(r.body()).isEqualTo(404);
        assertThat(r.body())
                .contains("refused the key")
                .doesNotContain(SSH_FILES.toString())
                .doesNotContain("PRIVATE KEY");
        assertNoCloneLeft();
    }

    private Api.Response install(String slug, String source) {
        return api.call(domain, token, "POST", "/apps/" + slug + "?Source=" + Api.enc(source), null);
    }

    private static JsonNode attributes(Api.Response r) {
        return r.json().path("data").path("attributes");
    }

    private static void assertNoCloneLeft() throws IOException {
        Path incoming = dataDir().resolve("incoming");
        if (!Files.exists(incoming)) {
            return;
        }
        try (Stream<Path> left = Files.list(incoming)) {
            assertThat(left.filter(p -> p.getFileName().toString().startsWith("git-")))
                    .as("clones removed")
                    .isEmpty();
        }
        assertThat(dataDir().resolve("git-ssh-home")).doesNotExist();
    }

    private static Path sshFiles() {
        try {
            Path dir = Files.createTempDirectory("jobstack-git-ssh-");
            SshGitServer.writePrivateKey(CLIENT, dir.resolve("id_ed25519"));
            Files.writeString(dir.resolve("known_hosts"), "");
            return dir;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest);
                }
            }
        }
    }
}
