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
        work = Git.init()
                .setDirectory(dir.resolve("work").toFile())
                .setInitialBranch("main")
                .call();
        commit("manifest.webapp", "{\"version\":\"1.0.0\"}");
        work.tag().setName("v1").call();
        commit("manifest.webapp", "{\"version\":\"2.0.0\"}");
        work.branchCreate().setName("dev").call();
        work.checkout().setName("dev").call();
        commit("manifest.webapp", "{\"version\":\"3.0.0\"}");
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
        assertThat(version(clone("git://127.0.0.1:" + port() + "/app.git", "a")))
                .isEqualTo("2.0.0");
        assertThat(version(clone("git://127.0.0.1:" + port() + "/app.git#v1", "b")))
                .isEqualTo("1.0.0");
        Path dev = clone("git://127.0.0.1:" + port() + "/app.git#dev", "c");

        assertThat(version(dev)).isEqualTo("3.0.0");
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

    private void commit(String file, String content) throws Exception {
        Files.writeString(dir.resolve("work").resolve(file), content);
        work.add().addFilepattern(file).call();
        work.commit().setMessage(content).setSign(false).call();
    }

    private static String version(Path app) throws Exception {
        return Files.readString(app.resolve("manifest.webapp")).replaceAll(".*\"version\":\"([^\"]+)\".*", "$1");
    }

    private static void assertProblem(Runnable call, Problem.Kind kind) {
        assertThatThrownBy(call::run)
                .isInstanceOf(Problem.class)
                .satisfies(
                        e -> assertThat(((Problem) e).kind()).as(e.getMessage()).isEqualTo(kind));
    }
}
