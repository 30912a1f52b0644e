package org.jobstack.app.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.jobstack.common.FileTrees;
import org.jobstack.common.Problem;
import org.jobstack.config.DataDirectory;
import org.jobstack.config.JobstackProperties;
import org.jobstack.config.PrivateFiles;
import org.springframework.stereotype.Component;

/**
 * Where an app comes from: a {@code file://} build folder or archive on this machine, an
 * {@code http(s)://} archive, or a git repository ({@code git://}, {@code git+https://}, {@code
 * git+ssh://} with the configured key, see {@link GitSsh}; with an optional {@code #branch-or-tag},
 * see {@link GitClones}). Archives are downloaded (within a size limit) and extracted into a
 * temporary folder that closing the {@link Fetched} removes.
 */
@Component
public class AppSources {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** Where JGit's ssh client is told its home and .ssh folders are: never created, nothing read there. */
    private static final String SSH_HOME = "git-ssh-home";

    private final Path incoming;
    private final long maxDownload;
    private final ArchiveExtractor extractor;
    private final GitClones git;

    /** The client of {@code http(s)://} sources, built at the first download: its TLS set-up cost the start-up 0.1 s. */
    private static final class Http {
        static final HttpClient CLIENT = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    public AppSources(DataDirectory data, JobstackProperties properties) {
        this.incoming = data.resolve("incoming");
        JobstackProperties.Limits limits = properties.limits();
        this.maxDownload = limits.archiveBytes().toBytes();
        this.extractor = ArchiveExtractor.forSources(limits.appBytes().toBytes(), limits.appFiles());
        this.git = new GitClones(
                Math.min(maxDownload, limits.appBytes().toBytes()),
                limits.appFiles(),
                TIMEOUT,
                GitSsh.of(properties.apps().gitSsh(), data.resolve(SSH_HOME)));
    }

    /** The app's files, ready to read; close it when done. */
    public record Fetched(BuildFolder folder, Path temporary) implements AutoCloseable {
        @Override
        public void close() {
            if (temporary != null) {
                FileTrees.deleteQuietly(temporary);
            }
        }
    }

    public Fetched open(String source, String manifestFile) {
        URI uri = parse(source);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        return switch (scheme) {
            case "file" -> openFile(source, uri, manifestFile);
            case "http", "https" -> openArchive(download(source, uri), true, manifestFile);
            case "git", "git+https", "git+http", "git+ssh" -> openClone(source, uri);
            default ->
                throw Problem.invalid(
                        "source",
                        "Unsupported source scheme " + (scheme.isEmpty() ? "(none)" : scheme + "://")
                                + "; use file://, http(s)://, git://, git+https:// or git+ssh://");
        };
    }

    private static URI parse(String source) {
        if (source == null || source.isBlank()) {
            throw Problem.malformed("source", "Source is required, e.g. file:///path/to/build");
        }
        try {
            return new URI(source);
        } catch (URISyntaxException e) {
            throw Problem.invalid("source", "Source is not a valid URL: " + e.getReason());
        }
    }

    private Fetched openFile(String source, URI uri, String manifestFile) {
        String host = uri.getHost();
        String path = uri.getPath();
        if ((host != null && !host.equals("localhost")) || path == null || !path.startsWith("/")) {
            throw Problem.invalid("source", "A file source needs an absolute path: file:///path/to/build");
        }
        Path local = Path.of(path).normalize();
        if (Files.isDirectory(local)) {
            return new Fetched(new BuildFolder(local), null);
        }
        if (!Files.isRegularFile(local)) {
            throw Problem.notFound("Source " + source + " is neither a folder nor an archive on the server");
        }
        return openArchive(local, false, manifestFile);
    }

    private Fetched openClone(String source, URI uri) {
        Path target = PrivateFiles.createFolder(incoming).resolve("git-" + System.nanoTime());
        git.cloneInto(source, uri, target);
        return new Fetched(new BuildFolder(target), target);
    }

    private Fetched openArchive(Path archive, boolean downloaded, String manifestFile) {
        Path target = null;
        try {
            if (archive.toFile().length() > maxDownload) {
                throw Problem.tooLarge("source", "The archive is larger than " + maxDownload + " bytes");
            }
            target = PrivateFiles.createFolder(incoming).resolve("app-" + System.nanoTime());
            Files.createDirectory(target);
            extractor.extract(archive, target);
            return new Fetched(new BuildFolder(appRoot(target, manifestFile)), target);
        } catch (IOException e) {
            FileTrees.deleteQuietly(target);
            throw Problem.invalid("source", "The archive cannot be read: " + e.getMessage());
        } catch (RuntimeException e) {
            FileTrees.deleteQuietly(target);
            throw e;
        } finally {
            if (downloaded) {
                FileTrees.deleteQuietly(archive);
            }
        }
    }

    /** Archives often hold one top folder ({@code build/…}): the app is where the manifest is. */
    private static Path appRoot(Path extracted, String manifestFile) throws IOException {
        if (Files.isRegularFile(extracted.resolve(manifestFile))) {
            return extracted;
        }
        List<Path> children;
        try (Stream<Path> list = Files.list(extracted)) {
            children = list.toList();
        }
        if (children.size() == 1
                && Files.isDirectory(children.get(0))
                && Files.isRegularFile(children.get(0).resolve(manifestFile))) {
            return children.get(0);
        }
        return extracted;
    }

    private Path download(String source, URI uri) {
        Path file = null;
        try {
            file = Files.createTempFile(PrivateFiles.createFolder(incoming), "download-", ".archive");
            HttpResponse<InputStream> response = Http.CLIENT.send(
                    HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body();
                    OutputStream out = Files.newOutputStream(file)) {
                if (response.statusCode() != 200) {
                    throw Problem.notFound("Application source is not reachable: " + source + " answered HTTP "
                            + response.statusCode());
                }
                copyLimited(in, out);
            }
            return file;
        } catch (IOException e) {
            FileTrees.deleteQuietly(file);
            throw Problem.notFound("Application source is not reachable: " + source + " (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            FileTrees.deleteQuietly(file);
            throw new UncheckedIOException(new IOException("interrupted while downloading " + source));
        } catch (RuntimeException e) {
            FileTrees.deleteQuietly(file);
            throw e;
        }
    }

    private void copyLimited(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            total += n;
            if (total > maxDownload) {
                throw Problem.tooLarge("source", "The archive is larger than " + maxDownload + " bytes");
            }
            out.write(buffer, 0, n);
        }
    }
}
