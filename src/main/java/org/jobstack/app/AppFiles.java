package org.jobstack.app;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jobstack.cluster.Signal;
import org.jobstack.common.FileTrees;
import org.jobstack.common.Problem;
import org.jobstack.config.DataDirectory;
import org.jobstack.config.PrivateFiles;
import org.jobstack.instance.InstanceService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * This node's copy of the installed versions' files: {@code <data-dir>/cache/apps/<version id>-<content
 * hash>/}. A version is unpacked from the database on first use: its archive is read back into a
 * private staging folder, checked against its size and content hash, unpacked, and renamed into
 * place in one step, so a folder in place is always complete. One thread unpacks a version while
 * the others asking for it wait. Once a version is in place, finding it costs no database read.
 *
 * <p>Folders whose version is no longer in the database are pruned: at start, after an update or
 * an uninstall on this node, when a version asked for is gone, and every {@link #PRUNE_MINUTES}
 * minutes. A running attempt never reads from here after its start: runners copy what they run
 * into the attempt's own run directory first; and only versions two updates old leave the database.
 */
@Service
public class AppFiles implements SmartInitializingSingleton {

    static final long PRUNE_MINUTES = 10;

    private static final Logger log = LoggerFactory.getLogger(AppFiles.class);
    private static final Pattern VERSION_ID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
    /** Prefix of the folders a version is unpacked into before it is complete. */
    private static final String STAGING = ".staging-";

    private static final boolean POSIX =
            FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final AppVersionStore store;
    private final Path root;
    /** Versions being unpacked by this node, by folder name: who asks meanwhile waits for it. */
    private final ConcurrentMap<String, CompletableFuture<Path>> unpacking = new ConcurrentHashMap<>();

    @Autowired
    public AppFiles(AppVersionStore store, DataDirectory data) {
        this(store, data.resolve("cache").resolve("apps"));
    }

    AppFiles(AppVersionStore store, Path root) {
        this.store = store;
        this.root = root.toAbsolutePath().normalize();
    }

    /**
     * The folder holding the app's current version on this node, unpacked first if need be.
     *
     * @throws AppFilesUnavailable when the app has no stored files, its version is gone (the app
     *     changed meanwhile) or its stored bytes are corrupted
     */
    public Path localFolder(App app) {
        if (app.versionId() == null) {
            throw new AppFilesUnavailable(
                    AppFilesUnavailable.Reason.NONE,
                    "No files are stored for " + app.slug() + " " + app.version()
                            + (app.error() == null ? "" : ": " + app.error()));
        }
        return localFolder(app.versionId(), app.versionHash(), app.slug());
    }

    /** The folder of a stored version on this node, unpacked first if need be. */
    Path localFolder(StoredVersion version) {
        return localFolder(version.id(), version.contentHash(), version.slug());
    }

    /** Where this node keeps its unpacked versions. */
    Path root() {
        return root;
    }

    private Path localFolder(String id, String hash, String slug) {
        if (id == null
                || hash == null
                || !VERSION_ID.matcher(id).matches()
                || !HASH.matcher(hash).matches()) {
            throw new AppFilesUnavailable(
                    AppFilesUnavailable.Reason.CORRUPTED,
                    "The files of " + slug + " are recorded as version " + id + " with hash " + hash
                            + ", which is not a version id and a SHA-256");
        }
        String name = id + "-" + hash;
        Path folder = root.resolve(name);
        if (Files.isDirectory(folder)) {
            return folder;
        }
        CompletableFuture<Path> mine = new CompletableFuture<>();
        CompletableFuture<Path> running = unpacking.putIfAbsent(name, mine);
        if (running != null) {
            return await(running);
        }
        try {
            Path done = Files.isDirectory(folder) ? folder : unpack(id, hash, slug, folder);
            mine.complete(done);
            return done;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            unpacking.remove(name, mine);
        }
    }

    private static Path await(CompletableFuture<Path> running) {
        try {
            return running.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private Path unpack(String id, String hash, String slug, Path folder) {
        StoredVersion version = store.find(id).orElseThrow(() -> gone(id, slug));
        if (!version.contentHash().equals(hash)) {
            throw corrupted(version, "its row holds content hash " + version.contentHash() + ", its app " + hash);
        }
        Path staging = null;
        try {
            Files.createDirectories(root, PrivateFiles.folderAttribute());
            staging = Files.createTempDirectory(
                    root, STAGING + folder.getFileName() + "-", PrivateFiles.folderAttribute());
            Path archive = Files.createFile(staging.resolve("version.tar.gz"), PrivateFiles.fileAttribute());
            download(version, archive);
            Path files = Files.createDirectory(staging.resolve("files"), PrivateFiles.folderAttribute());
            try {
                VersionArchive.unpack(archive, files, version.fileBytes(), version.fileCount());
            } catch (Problem e) {
                throw corrupted(version, "its archive cannot be unpacked: " + e.getMessage());
            }
            makePrivate(files);
            Files.delete(archive);
            try {
                Files.move(files, folder, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (!Files.isDirectory(folder)) {
                    throw e;
                }
            }
            log.atInfo()
                    .addKeyValue("domain", version.domain())
                    .addKeyValue("slug", slug)
                    .addKeyValue("version", version.version())
                    .addKeyValue("version_id", id)
                    .log("Unpacked {} {} ({} files) into {}", slug, version.version(), version.fileCount(), folder);
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + slug + " " + version.version() + " under " + root, e);
        } finally {
            FileTrees.deleteQuietly(staging);
        }
    }

    /** Reads a version's archive back from the database, checking its size and content hash. */
    private void download(StoredVersion version, Path archive) throws IOException {
        MessageDigest sha256 = VersionArchive.sha256();
        long total = 0;
        try (InputStream in = store.content(version);
                OutputStream out = Files.newOutputStream(archive)) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (total > version.contentBytes()) {
                    throw corrupted(version, "more than its " + version.contentBytes() + " bytes are stored");
                }
                sha256.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
        } catch (EOFException e) {
            if (store.find(version.id()).isEmpty()) {
                throw gone(version.id(), version.slug());
            }
            throw corrupted(version, e.getMessage());
        }
        if (total != version.contentBytes()) {
            throw corrupted(version, total + " bytes are stored, not " + version.contentBytes());
        }
        String read = HexFormat.of().formatHex(sha256.digest());
        if (!read.equals(version.contentHash())) {
            throw corrupted(version, "its stored bytes hash to " + read + ", not " + version.contentHash());
        }
    }

    private AppFilesUnavailable gone(String id, String slug) {
        prune();
        return new AppFilesUnavailable(
                AppFilesUnavailable.Reason.GONE,
                "Version " + id + " of " + slug + " is no longer stored: the app changed meanwhile");
    }

    private static AppFilesUnavailable corrupted(StoredVersion version, String detail) {
        String message = "The stored files of " + version.slug() + " " + version.version() + " (version " + version.id()
                + ") are corrupted: " + detail + "; update or reinstall the app";
        log.atError()
                .addKeyValue("domain", version.domain())
                .addKeyValue("slug", version.slug())
                .addKeyValue("version_id", version.id())
                .log(message);
        return new AppFilesUnavailable(AppFilesUnavailable.Reason.CORRUPTED, message);
    }

    /** Folders 0700, files 0600 (0700 when executable), where the file system has POSIX modes. */
    private static void makePrivate(Path folder) throws IOException {
        if (!POSIX) {
            return;
        }
        Files.walkFileTree(folder, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.setPosixFilePermissions(dir, PrivateFiles.FOLDER);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) {
                    Files.setPosixFilePermissions(
                            file, Files.isExecutable(file) ? PrivateFiles.FOLDER : PrivateFiles.FILE);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * Deletes the folders of versions no longer in the database (or stored with another hash),
     * and staging folders no unpack of this node is filling. Never fails: a problem is logged.
     */
    public synchronized void prune() {
        try {
            if (!Files.isDirectory(root)) {
                return;
            }
            List<Path> entries;
            try (Stream<Path> list = Files.list(root)) {
                entries = list.toList();
            }
            Map<String, Path> cached = new HashMap<>();
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.startsWith(STAGING)) {
                    if (unpacking.keySet().stream().noneMatch(k -> name.startsWith(STAGING + k + "-"))) {
                        FileTrees.deleteQuietly(entry);
                    }
                } else {
                    cached.put(name, entry);
                }
            }
            int deleted = 0;
            List<String> names = new ArrayList<>(cached.keySet());
            for (int from = 0; from < names.size(); from += 500) {
                List<String> batch = names.subList(from, Math.min(names.size(), from + 500));
                Map<String, String> stored =
                        store.hashes(batch.stream().map(AppFiles::versionIdOf).toList());
                for (String name : batch) {
                    if (!name.equals(versionIdOf(name) + "-" + stored.get(versionIdOf(name)))) {
                        FileTrees.deleteQuietly(cached.get(name));
                        deleted++;
                    }
                }
            }
            if (deleted > 0) {
                log.atInfo().log("Pruned {} unpacked versions no longer stored from {}", deleted, root);
            }
        } catch (IOException | RuntimeException e) {
            log.atWarn().setCause(e).log("Could not prune unpacked versions in {}", root);
        }
    }

    private static String versionIdOf(String folderName) {
        int dash = folderName.indexOf('-');
        return dash < 0 ? folderName : folderName.substring(0, dash);
    }

    @Override
    public void afterSingletonsInstantiated() {
        prune();
    }

    @Scheduled(fixedDelay = PRUNE_MINUTES, initialDelay = PRUNE_MINUTES, timeUnit = TimeUnit.MINUTES)
    void prunePeriodically() {
        prune();
    }

    @TransactionalEventListener(fallbackExecution = true)
    void onInstanceDeleted(InstanceService.InstanceDeleted deleted) {
        prune();
    }

    /** Apps were updated or removed on another node: versions this node keeps may be gone. */
    @EventListener
    void onSignal(Signal signal) {
        if (signal.topic() == Signal.Topic.APPS || signal.topic() == Signal.Topic.INSTANCE) {
            prune();
        }
    }
}
