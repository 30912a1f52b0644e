package org.jobstack.app.source;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.internal.JGitText;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.BlobObjectChecker;
import org.eclipse.jgit.lib.ObjectChecker;
import org.eclipse.jgit.lib.ProgressMonitor;
import org.eclipse.jgit.transport.Transport;
import org.jobstack.common.FileTrees;
import org.jobstack.common.Problem;

/**
 * Clones an app's git repository with JGit (no {@code git} binary): one commit of the branch or tag
 * named after {@code #} (else the default branch), without its history, within the limits of
 * archives: the download stops as soon as the files received pass the size limit (counted as they
 * stream in, inflated), and the files checked out are counted, sized,
 * and their links kept inside the app. The {@code .git} folder is removed; on failure, everything.
 * Only the ssh session differs for {@code git+ssh://} ({@link GitSshSession}).
 */
final class GitClones {

    private final long maxBytes;
    private final int maxFiles;
    private final Duration timeout;
    private final GitSsh ssh;

    GitClones(long maxBytes, int maxFiles, Duration timeout) {
        this(maxBytes, maxFiles, timeout, GitSsh.NONE);
    }

    GitClones(long maxBytes, int maxFiles, Duration timeout, GitSsh ssh) {
        GitConfigIsolation.ensure();
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
        BlobBytes watch = new BlobBytes();
        try (GitSshSession session = "git+ssh".equalsIgnoreCase(uri.getScheme()) ? ssh.open(uri) : null) {
            var clone = Git.cloneRepository()
                    .setURI(remote)
                    .setDirectory(target.toFile())
                    .setDepth(1)
                    .setCloneAllBranches(false)
                    .setTimeout((int) timeout.toSeconds())
                    .setProgressMonitor(watch)
                    .setTransportConfigCallback(transport -> {
                        watch.attach(transport);
                        if (session != null) {
                            session.configure(transport);
                        }
                    });
            if (ref != null && !ref.isBlank()) {
                clone.setBranch(ref);
            }
            try {
                try (Git git = clone.call()) {
                    git.getRepository().close();
                }
            } catch (GitAPIException | RuntimeException e) {
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

    private Problem failure(String source, URI uri, Exception e, BlobBytes watch, GitSshSession session) {
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

    /**
     * Counts the bytes of the files (blobs) as they are received, inflated, and stops the download
     * in the middle of the object that passes the size limit: a repository of one huge file, or one
     * that compresses very well, is cut as early as one of many files. It is the transport's object
     * checker while objects are received, and checks nothing else; it is then taken off the
     * transport, which would otherwise check that the fetched history is complete (a shallow clone
     * is not).
     */
    private final class BlobBytes extends ObjectChecker implements ProgressMonitor {
        private final AtomicLong received = new AtomicLong();
        private volatile boolean tooLarge;
        private volatile Transport transport;
        private volatile String task;

        void attach(Transport fetching) {
            transport = fetching;
            fetching.setObjectChecker(this);
        }

        @Override
        public void check(AnyObjectId id, int objType, byte[] raw) {}

        @Override
        public BlobObjectChecker newBlobObjectChecker() {
            return new BlobObjectChecker() {
                @Override
                public void update(byte[] in, int p, int len) {
                    if (received.addAndGet(len) > maxBytes) {
                        tooLarge = true;
                        throw new IllegalStateException("The repository has more than " + maxBytes + " bytes");
                    }
                }

                @Override
                public void endBlob(AnyObjectId id) {}
            };
        }

        @Override
        public void beginTask(String title, int totalWork) {
            task = title;
        }

        @Override
        public void endTask() {
            Transport fetching = transport;
            if (fetching != null && JGitText.get().receivingObjects.equals(task)) {
                fetching.setObjectChecker(null);
            }
        }

        @Override
        public void start(int totalTasks) {}

        @Override
        public void update(int completed) {}

        @Override
        public boolean isCancelled() {
            return tooLarge;
        }

        @Override
        public void showDuration(boolean enabled) {}
    }
}
