package org.jobstack.app.source;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.lib.ProgressMonitor;
import org.jobstack.common.FileTrees;
import org.jobstack.common.Problem;

/**
 * Clones an app's git repository with JGit (no {@code git} binary): one commit of the branch or tag
 * named after {@code #} (else the default branch), without its history, within the limits of
 * archives: the download stops past the size limit, and the files checked out are counted, sized,
 * and their links kept inside the app. The {@code .git} folder is removed; on failure, everything.
 * Only the ssh session differs for {@code git+ssh://} ({@link GitSshSession}).
 */
final class GitClones {

    /** How often the size of a clone in progress is measured. */
    private static final long MEASURE_EVERY_NANOS = Duration.ofMillis(100).toNanos();

    private final long maxBytes;
    private final int maxFiles;
    private final Duration timeout;
    private final GitSsh ssh;

    GitClones(long maxBytes, int maxFiles, Duration timeout) {
        this(maxBytes, maxFiles, timeout, GitSsh.NONE);
    }

    GitClones(long maxBytes, int maxFiles, Duration timeout, GitSsh ssh) {
        this.maxBytes = maxBytes;
        this.maxFiles = maxFiles;
        this.timeout = timeout;
        this.ssh = ssh;
    }

    /**
     * Clones {@code source} ({@code git://}, {@code git+https://}, {@code git+http://}, {@code
     * git+ssh://}) into the new folder {@code target}.
     */
    void cloneInto(String source, URI uri, Path target) {
        String ref = uri.getFragment();
        String remote = source.substring(source.regionMatches(true, 0, "git+", 0, 4) ? 4 : 0, fragmentStart(source));
        SizeWatch watch = new SizeWatch(target);
        try (GitSshSession session = "git+ssh".equalsIgnoreCase(uri.getScheme()) ? ssh.open(uri) : null) {
            var clone = Git.cloneRepository()
                    .setURI(remote)
                    .setDirectory(target.toFile())
                    .setDepth(1)
                    .setCloneAllBranches(false)
                    .setTimeout((int) timeout.toSeconds())
                    .setTransportConfigCallback(session)
                    .setProgressMonitor(watch);
            if (ref != null && !ref.isBlank()) {
                clone.setBranch(ref);
            }
            try {
                try (Git git = clone.call()) {
                    git.getRepository().close();
                }
            } catch (GitAPIException | JGitInternalException e) {
                FileTrees.deleteQuietly(target);
                throw failure(source, uri, e, watch, session);
            }
        }
        try {
            FileTrees.deleteQuietly(target.resolve(".git"));
            check(target);
        } catch (IOException e) {
            FileTrees.deleteQuietly(target);
            throw Problem.invalid("source", "The clone cannot be read: " + e.getMessage());
        } catch (RuntimeException e) {
            FileTrees.deleteQuietly(target);
            throw e;
        }
    }

    private void check(Path root) throws IOException {
        List<Path> all;
        try (Stream<Path> walk = Files.walk(root)) {
            all = walk.filter(p -> !p.equals(root)).toList();
        }
        long bytes = 0;
        int files = 0;
        for (Path p : all) {
            if (Files.isSymbolicLink(p)) {
                Path resolved = p.getParent().resolve(Files.readSymbolicLink(p)).normalize();
                if (Files.readSymbolicLink(p).isAbsolute() || !resolved.startsWith(root)) {
                    throw Problem.invalid(
                            "source", "Unsafe repository: " + root.relativize(p) + " links outside the app");
                }
            } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                bytes += Files.size(p);
            }
            if (++files > maxFiles) {
                throw tooLarge("more than " + maxFiles + " files");
            }
            if (bytes > maxBytes) {
                throw tooLarge("more than " + maxBytes + " bytes once checked out");
            }
        }
    }

    private Problem failure(String source, URI uri, Exception e, SizeWatch watch, GitSshSession session) {
        if (watch.tooLarge) {
            return tooLarge("more than " + maxBytes + " bytes");
        }
        if (session == null) {
            return Problem.notFound("Application source is not reachable: " + source + " (" + rootMessage(e) + ")");
        }
        if (session.hostRefusal() != null) {
            return Problem.invalid("source", session.hostRefusal() + "; " + source + " is not cloned");
        }
        return Problem.notFound(
                "Application source is not reachable: " + source + " (" + ssh.reason(uri, rootMessage(e)) + ")");
    }

    private static int fragmentStart(String source) {
        int hash = source.indexOf('#');
        return hash < 0 ? source.length() : hash;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? e.getMessage() : root.getMessage();
    }

    private static Problem tooLarge(String detail) {
        return Problem.tooLarge("source", "The repository has " + detail);
    }

    /** Cancels the clone once what it wrote passes the size limit. */
    private final class SizeWatch implements ProgressMonitor {
        private final Path folder;
        private long measuredAt = System.nanoTime();
        private volatile boolean tooLarge;

        SizeWatch(Path folder) {
            this.folder = folder;
        }

        @Override
        public void start(int totalTasks) {}

        @Override
        public void beginTask(String title, int totalWork) {}

        @Override
        public void update(int completed) {}

        @Override
        public void endTask() {}

        @Override
        public void showDuration(boolean enabled) {}

        @Override
        public boolean isCancelled() {
            long now = System.nanoTime();
            if (!tooLarge && now - measuredAt >= MEASURE_EVERY_NANOS) {
                measuredAt = now;
                tooLarge = FileTrees.size(folder) > maxBytes;
            }
            return tooLarge;
        }
    }
}
