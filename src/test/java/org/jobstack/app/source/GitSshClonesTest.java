package org.jobstack.app.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Random;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.eclipse.jgit.api.Git;
import org.jobstack.common.Problem;
import org.jobstack.config.JobstackProperties;
import org.jobstack.config.StartupRefusal;
import org.jobstack.support.ServerProcess;
import org.jobstack.support.SshGitServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cloning app sources over {@code git+ssh://}, from an Apache MINA SSHD server on loopback that
 * serves {@code git-upload-pack} with JGit, with a key and known hosts of the test's own.
 */
class GitSshClonesTest {

    @TempDir
    Path dir;

    private Git work;
    private KeyPair client;
    private SshGitServer server;
    private Path key;
    private Path knownHosts;

    @BeforeEach
    void server() throws Exception {
        work = AppGitRepository.create(dir.resolve("work"));
        client = SshGitServer.newKeyPair("Ed25519");
        server = new SshGitServer(work.getRepository(), "git", client.getPublic());
        key = SshGitServer.writePrivateKey(client, dir.resolve("id_ed25519"));
        knownHosts = Files.writeString(dir.resolve("known_hosts"), "# git servers\n" + server.knownHostsLine());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        work.close();
    }

    @Test
    void should_clone_a_git_ssh_source_at_the_default_branch_and_at_a_tag_without_its_git_folder() throws Exception {
        Path head = clone(url(""), "head");
        Path tagged = clone(url("#v1"), "tagged");

        assertThat(AppGitRepository.version(head)).isEqualTo("2.0.0");
        assertThat(AppGitRepository.version(tagged)).isEqualTo("1.0.0");
        assertThat(head.resolve(".git")).doesNotExist();
        assertThat(dir.resolve("ssh-home"))
                .as("nothing written in the ssh home")
                .doesNotExist();
    }

    @Test
    void should_clone_with_an_ecdsa_or_rsa_key_too() throws Exception {
        for (String algorithm : new String[] {"EC", "RSA"}) {
            KeyPair other = SshGitServer.newKeyPair(algorithm);
            try (SshGitServer second = new SshGitServer(work.getRepository(), "git", other.getPublic())) {
                Files.writeString(knownHosts, second.knownHostsLine());
                Path otherKey = SshGitServer.writePrivateKey(other, dir.resolve("id_" + algorithm));
                String source = "git+ssh://git@127.0.0.1:" + second.port() + "/app.git";
                Path target = dir.resolve(algorithm);

                clones(otherKey).cloneInto(source, URI.create(source), target);

                assertThat(AppGitRepository.version(target)).as(algorithm).isEqualTo("2.0.0");
            }
        }
    }

    @Test
    void should_refuse_an_unknown_host_or_a_changed_host_key_and_leave_nothing() throws Exception {
        Path unknown = dir.resolve("unknown");
        Path changed = dir.resolve("changed");
        Path revoked = dir.resolve("revoked");

        Files.writeString(knownHosts, "[127.0.0.1]:1 " + server.knownHostsLine().split(" ", 2)[1]);
        Problem unknownHost = problem(() -> clones(key).cloneInto(url(""), URI.create(url("")), unknown));
        Files.writeString(
                knownHosts, server.knownHostsLine(SshGitServer.newKeyPair("EC").getPublic()));
        Problem changedKey = problem(() -> clones(key).cloneInto(url(""), URI.create(url("")), changed));
        Files.writeString(knownHosts, server.knownHostsLine() + "@revoked " + server.knownHostsLine());
        Problem revokedKey = problem(() -> clones(key).cloneInto(url(""), URI.create(url("")), revoked));

        assertThat(unknownHost.kind()).isEqualTo(Problem.Kind.INVALID);
        assertThat(unknownHost.field()).isEqualTo("source");
        assertThat(unknownHost.getMessage())
                .contains("[127.0.0.1]:" + server.port() + " is unknown")
                .contains("SHA256:")
                .contains("jobstack.apps.git-ssh.known-hosts-file");
        assertThat(changedKey.kind()).isEqualTo(Problem.Kind.INVALID);
        assertThat(changedKey.getMessage()).contains("has changed");
        assertThat(revokedKey.kind()).isEqualTo(Problem.Kind.INVALID);
        assertThat(revokedKey.getMessage()).contains("@revoked");
        assertThat(unknown).doesNotExist();
        assertThat(changed).doesNotExist();
        assertThat(revoked).doesNotExist();
        assertThat(Files.readString(knownHosts))
                .as("never written")
                .isEqualTo(server.knownHostsLine() + "@revoked " + server.knownHostsLine());
    }

    @Test
    void should_answer_not_found_for_a_refused_key_an_unknown_ref_or_an_unreachable_host_and_leave_nothing()
            throws Exception {
        Path wrongKey = SshGitServer.writePrivateKey(SshGitServer.newKeyPair("Ed25519"), dir.resolve("wrong"));
        Path refused = dir.resolve("refused");
        Path wrongUser = dir.resolve("wrong-user");
        Path unknownRef = dir.resolve("unknown-ref");
        Path unreachable = dir.resolve("unreachable");
        String otherUser = "git+ssh://alice@127.0.0.1:" + server.port() + "/app.git";
        String down = "git+ssh://git@127.0.0.1:" + ServerProcess.freePort() + "/app.git";

        Problem badKey = problem(() -> clones(wrongKey).cloneInto(url(""), URI.create(url("")), refused));
        Problem badUser = problem(() -> clones(key).cloneInto(otherUser, URI.create(otherUser), wrongUser));
        Problem badRef = problem(() -> clones(key).cloneInto(url("#nope"), URI.create(url("#nope")), unknownRef));
        Problem badHost = problem(() -> clones(key).cloneInto(down, URI.create(down), unreachable));

        for (Problem p : new Problem[] {badKey, badUser, badRef, badHost}) {
            assertThat(p.kind()).as(p.getMessage()).isEqualTo(Problem.Kind.NOT_FOUND);
            assertThat(p.getMessage())
                    .as("the key stays a secret")
                    .doesNotContain(key.toString())
                    .doesNotContain(wrongKey.toString())
                    .doesNotContain(
                            Files.readString(key).lines().skip(1).findFirst().orElseThrow());
        }
        assertThat(badKey.getMessage())
                .startsWith("Application source is not reachable: " + url(""))
                .contains("the server refused the key of jobstack.apps.git-ssh.private-key-file for git");
        assertThat(badUser.getMessage())
                .contains("refused the key of jobstack.apps.git-ssh.private-key-file for alice");
        assertThat(badHost.getMessage()).contains("Connection refused");
        assertThat(refused).doesNotExist();
        assertThat(wrongUser).doesNotExist();
        assertThat(unknownRef).doesNotExist();
        assertThat(unreachable).doesNotExist();
    }

    @Test
    void should_refuse_git_ssh_sources_without_a_configured_key_or_without_a_user() {
        Path target = dir.resolve("none");
        String noUser = "git+ssh://127.0.0.1:" + server.port() + "/app.git";

        Problem noKey = problem(() -> new GitClones(10_000_000, 1000, Duration.ofSeconds(30))
                .cloneInto(url(""), URI.create(url("")), target));
        Problem anonymous = problem(() -> clones(key).cloneInto(noUser, URI.create(noUser), target));

        assertThat(noKey.kind()).isEqualTo(Problem.Kind.INVALID);
        assertThat(noKey.field()).isEqualTo("source");
        assertThat(noKey.getMessage()).contains("jobstack.apps.git-ssh.private-key-file");
        assertThat(anonymous.kind()).isEqualTo(Problem.Kind.INVALID);
        assertThat(anonymous.getMessage()).contains("names its user");
        assertThat(target).doesNotExist();
    }

    @Test
    void should_refuse_repositories_past_the_limits_over_ssh_and_leave_nothing() throws Exception {
        byte[] noise = new byte[256 * 1024];
        new Random(1).nextBytes(noise);
        Files.write(dir.resolve("work/blob.bin"), noise);
        work.add().addFilepattern("blob.bin").call();
        work.commit().setMessage("big").setSign(false).call();
        Path big = dir.resolve("big");
        Path many = dir.resolve("many");
        GitSsh ssh = ssh(key);

        Problem tooLarge = problem(() -> new GitClones(64 * 1024, 100, Duration.ofSeconds(30), ssh)
                .cloneInto(url(""), URI.create(url("")), big));
        Problem tooMany = problem(() -> new GitClones(10_000_000, 1, Duration.ofSeconds(30), ssh)
                .cloneInto(url(""), URI.create(url("")), many));

        assertThat(tooLarge.kind()).isEqualTo(Problem.Kind.TOO_LARGE);
        assertThat(tooMany.kind()).isEqualTo(Problem.Kind.TOO_LARGE);
        assertThat(big).doesNotExist();
        assertThat(many).doesNotExist();
    }

    @Test
    void should_never_point_the_ssh_client_at_the_server_users_home() {
        try (GitSshSession session = ssh(key).open(URI.create(url("")))) {
            assertThat(session.factory().getHomeDirectory())
                    .isEqualTo(dir.resolve("ssh-home").toFile());
            assertThat(session.factory().getSshDirectory())
                    .isEqualTo(dir.resolve("ssh-home").toFile());
        }
    }

    @Test
    void should_refuse_to_start_with_a_key_others_may_read_an_encrypted_key_or_no_known_hosts() throws Exception {
        Path open = SshGitServer.writePrivateKey(client, dir.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        Path encrypted = dir.resolve("encrypted");
        OpenSSHKeyEncryptionContext passphrase = new OpenSSHKeyEncryptionContext();
        passphrase.setPassword("secret passphrase");
        passphrase.setCipherName("AES");
        passphrase.setCipherType("256");
        try (OutputStream out = Files.newOutputStream(encrypted)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(client, "test", passphrase, out);
        }
        Files.setPosixFilePermissions(encrypted, PosixFilePermissions.fromString("rw-------"));
        Path notAKey = Files.writeString(dir.resolve("not-a-key"), "hello\n");
        Files.setPosixFilePermissions(notAKey, PosixFilePermissions.fromString("rw-------"));

        assertThat(refusal(open, knownHosts)).hasMessageContaining("can be read by other users (rw-r--r--)");
        assertThat(refusal(encrypted, knownHosts)).hasMessageContaining("is not an unencrypted OpenSSH private key");
        assertThat(refusal(notAKey, knownHosts)).hasMessageContaining("is not an unencrypted OpenSSH private key");
        assertThat(refusal(key, null)).hasMessageContaining("jobstack.apps.git-ssh.known-hosts-file is not");
        assertThat(refusal(dir.resolve("missing"), knownHosts)).hasMessageContaining("does not exist");
        assertThat(refusal(key, dir.resolve("missing"))).hasMessageContaining("does not exist");
        assertThat(GitSsh.of(new JobstackProperties.GitSsh(null, null), dir)).isSameAs(GitSsh.NONE);
    }

    private StartupRefusal refusal(Path keyFile, Path hosts) {
        try {
            GitSsh.of(new JobstackProperties.GitSsh(keyFile, hosts), dir.resolve("ssh-home"));
        } catch (StartupRefusal e) {
            assertThat(e.getMessage()).doesNotContain("PRIVATE KEY");
            return e;
        }
        throw new AssertionError("not refused: " + keyFile);
    }

    private Path clone(String source, String name) {
        Path target = dir.resolve(name);
        clones(key).cloneInto(source, URI.create(source), target);
        return target;
    }

    private GitClones clones(Path keyFile) {
        return new GitClones(10_000_000, 1000, Duration.ofSeconds(30), ssh(keyFile));
    }

    private GitSsh ssh(Path keyFile) {
        return GitSsh.of(new JobstackProperties.GitSsh(keyFile, knownHosts), dir.resolve("ssh-home"));
    }

    private String url(String fragment) {
        return "git+ssh://git@127.0.0.1:" + server.port() + "/app.git" + fragment;
    }

    private static Problem problem(Runnable call) {
        try {
            call.run();
        } catch (Problem p) {
            return p;
        }
        throw new AssertionError("no problem");
    }
}
