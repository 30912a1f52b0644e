package org.jobstack.cli;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Waits for a folder tree to change and then to stay quiet for a while: a bundler writes many
 * files in a burst, and the app is updated once, after the last one. Folders created meanwhile
 * are watched too.
 */
final class FolderWatch implements AutoCloseable {

    private final WatchService watcher;
    private final Duration quiet;

    FolderWatch(Path root, Duration quiet) throws IOException {
        this.watcher = FileSystems.getDefault().newWatchService();
        this.quiet = quiet;
        register(root);
    }

    /** Blocks until something changed and nothing more changed for the quiet period. */
    void awaitQuietChange() throws InterruptedException, IOException {
        handle(watcher.take());
        for (WatchKey key; (key = watcher.poll(quiet.toMillis(), TimeUnit.MILLISECONDS)) != null; ) {
            handle(key);
        }
    }

    private void handle(WatchKey key) throws IOException {
        Path folder = (Path) key.watchable();
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE
                    && Files.isDirectory(folder.resolve((Path) event.context()))) {
                register(folder.resolve((Path) event.context()));
            }
        }
        key.reset();
    }

    private void register(Path root) throws IOException {
        try (Stream<Path> folders = Files.walk(root)) {
            for (Path folder : folders.filter(Files::isDirectory).toList()) {
                folder.register(
                        watcher,
                        StandardWatchEventKinds.ENTRY_CREATE,
                        StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE);
            }
        }
    }

    @Override
    public void close() throws IOException {
        watcher.close();
    }
}
