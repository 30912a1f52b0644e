package org.jobstack.app.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.Daemon;
import org.jobstack.common.Problem;
import org.jobstack.support.ServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cloning app sources over the git protocol, from a JGit daemon on loopback. */
class GitClonesTest {

    @TempDir
    Path dir;

    private Git work;
    private Daemon daemon;

    @BeforeEach
    void repository() throws Exception {
        work = AppGitRepository.create(dir.resolve("work"));
        work.branchCreate().setName("dev").call();
        work.checkout().setName("dev").call();
        AppGitRepository.commit(work, "manifest.webapp", "{\"version\":\"3.0.0\"}");
        work.checkout().setName("main").call();
        daemon = new Daemon(new InetSocketAddress("127.0.0.1", 0));
        daemon.setRepositoryResolver((client, name) -> {
            Repository repository = work.getRepository();
            repository.incrementOpen();
            return repository;
        });
        daemon.start();
    }

    @AfterEach
    void stop() {
        daemon.stop();
        work.close();
    }

    @Test
    void should_clone_the_default_branch_a_tag_or_a_branch_without_its_git_folder() throws Exception {
        assertThat(AppGitRepository.version(clone("git://127.0.0.1:" + port() + "/app.git", "a")))
                .isEqualTo("2.0.0");
        assertThat(AppGitRepository.version(clone("git://127.0.0.1:" + port() + "/app.git#v1", "b")))
                .isEqualTo("1.0.0");
        Path dev = clone("git://127.0.0.1:" + port() + "/app.git#dev", "c");

        assertThat(AppGitRepository.version(dev)).isEqualTo("3.0.0");
        assertThat(dev.resolve(".git")).doesNotExist();
    }

    @Test
    void should_answer_not_found_for_an_unknown_ref_or_an_unreachable_server_and_leave_nothing() {
        Path unknown = dir.resolve("unknown");
        Path unreachable = dir.resolve("unreachable");

        assertProblem(
                () -> clones().cloneInto(url("#nope"), URI.create(url("#nope")), unknown), Problem.Kind.NOT_FOUND);
        String down = "git://127.0.0.1:" + ServerProcess.freePort() + "/app.git";
        assertProblem(() -> clones().cloneInto(down, URI.create(down), unreachable), Problem.Kind.NOT_FOUND);
        assertThat(unknown).doesNotExist();
        assertThat(unreachable).doesNotExist();
    }

    @Test
    void should_refuse_repositories_past_the_limits_and_links_out_of_the_app() throws Exception {
        byte[] noise = new byte[256 * 1024];
        new Random(1).nextBytes(noise);
        Files.write(dir.resolve("work/blob.bin"), noise);
        work.add().addFilepattern("blob.bin").call();
        work.commit().setMessage("big").call();
        Path big = dir.resolve("big");

        assertProblem(
                () -> new GitClones(64 * 1024, 100, Duration.ofSeconds(30))
                        .cloneInto(url(""), URI.create(url("")), big),
                Problem.Kind.TOO_LARGE);
        assertThat(big).doesNotExist();
        Path many = dir.resolve("many");
        assertProblem(
                () -> new GitClones(10_000_000, 1, Duration.ofSeconds(30))
                        .cloneInto(url(""), URI.create(url("")), many),
                Problem.Kind.TOO_LARGE);
        assertThat(many).doesNotExist();

        Files.createSymbolicLink(dir.resolve("work/evil"), Path.of("/etc/passwd"));
        work.add().addFilepattern("evil").call();
        work.commit().setMessage("link").call();
        Path linked = dir.resolve("linked");
        assertProblem(() -> clones().cloneInto(url(""), URI.create(url("")), linked), Problem.Kind.INVALID);
        assertThat(linked).doesNotExist();
    }

    @Test
    void should_read_no_git_configuration_of_the_server_user() throws Exception {
        clones();
        Path home = dir.resolve("home");
        Files.createDirectories(home);
        Files.writeString(
                home.resolve(".gitconfig"), "[url \"git://127.0.0.1:1/\"]\n\tinsteadOf = git://example.test/\n");
        org.eclipse.jgit.util.FS fs = org.eclipse.jgit.util.FS.DETECTED.newInstance();
        fs.setUserHome(home.toFile());
        var file = new org.eclipse.jgit.storage.file.FileBasedConfig(
                home.resolve(".gitconfig").toFile(), fs);
        file.load();
        assertThat(file.getSubsections("url")).as("the file says something").isNotEmpty();

        var user = org.eclipse.jgit.util.SystemReader.getInstance().openUserConfig(null, fs);
        user.load();
        var system = org.eclipse.jgit.util.SystemReader.getInstance().openSystemConfig(null, fs);
        system.load();

        assertThat(user.getSubsections("url")).isEmpty();
        assertThat(user.getFile()).isNull();
        assertThat(system.getFile()).isNull();
        assertThat(org.eclipse.jgit.util.SystemReader.getInstance()
                        .getUserConfig()
                        .getSubsections("url"))
                .isEmpty();
    }

    @Test
    void should_stop_downloading_once_the_clone_on_disk_passes_the_size_limit() throws Exception {
        byte[] noise = new byte[24 * 1024 * 1024];
        new Random(2).nextBytes(noise);
        Files.write(dir.resolve("work/huge.bin"), noise);
        work.add().addFilepattern("huge.bin").call();
        work.commit().setMessage("huge").call();
        Path huge = dir.resolve("huge");

        try (SlowProxy proxy = new SlowProxy(port(), 4 * 1024 * 1024)) {
            String source = "git://127.0.0.1:" + proxy.port() + "/app.git";
            assertProblem(
                    () -> new GitClones(1024 * 1024, 100, Duration.ofSeconds(60))
                            .cloneInto(source, URI.create(source), huge),
                    Problem.Kind.TOO_LARGE);

            // 24 MB take 6 s through the proxy; the clone was cut after a few hundred ms, not at the end
            assertThat(proxy.forwarded()).isLessThan(8L * 1024 * 1024);
        }
        assertThat(huge).doesNotExist();
    }

    /** A TCP proxy to {@code port} that sends the server's bytes at most {@code bytesPerSecond}, and counts them. */
    private static final class SlowProxy implements AutoCloseable {
        private final java.net.ServerSocket server =
                new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        private final java.util.concurrent.atomic.AtomicLong forwarded = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.List<java.net.Socket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();

        SlowProxy(int target, int bytesPerSecond) throws java.io.IOException {
            Thread accept = new Thread(() -> {
                try {
                    while (true) {
                        java.net.Socket client = server.accept();
                        java.net.Socket upstream =
                                new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), target);
                        sockets.add(client);
                        sockets.add(upstream);
                        pump(client.getInputStream(), upstream.getOutputStream(), 0);
                        pump(upstream.getInputStream(), client.getOutputStream(), bytesPerSecond);
                    }
                } catch (java.io.IOException closed) {
                    // the proxy was closed
                }
            });
            accept.setDaemon(true);
            accept.start();
        }

        private void pump(java.io.InputStream in, java.io.OutputStream out, int bytesPerSecond) {
            Thread copy = new Thread(() -> {
                byte[] buffer = new byte[16 * 1024];
                try {
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        out.write(buffer, 0, n);
                        out.flush();
                        if (bytesPerSecond > 0) {
                            forwarded.addAndGet(n);
                            Thread.sleep(n * 1000L / bytesPerSecond);
                        }
                    }
                } catch (java.io.IOException | InterruptedException e) {
                    // either side closed
                }
            });
            copy.setDaemon(true);
            copy.start();
        }

        int port() {
            return server.getLocalPort();
        }

        long forwarded() {
            return forwarded.get();
        }

        @Override
        public void close() throws java.io.IOException {
            server.close();
            for (java.net.Socket socket : sockets) {
                socket.close();
            }
        }
    }

    private Path clone(String source, String name) {
        Path target = dir.resolve(name);
        clones().cloneInto(source, URI.create(source), target);
        return target;
    }

    private static GitClones clones() {
        return new GitClones(10_000_000, 1000, Duration.ofSeconds(30));
    }

    private String url(String fragment) {
        return "git://127.0.0.1:" + port() + "/app.git" + fragment;
    }

    private int port() {
        return daemon.getAddress().getPort();
    }

    private static void assertProblem(Runnable call, Problem.Kind kind) {
        assertThatThrownBy(call::run)
                .isInstanceOf(Problem.class)
                .satisfies(
                        e -> assertThat(((Problem) e).kind()).as(e.getMessage()).isEqualTo(kind));
    }
}
