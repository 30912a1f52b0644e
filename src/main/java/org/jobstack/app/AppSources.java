package org.jobstack.app;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jobstack.common.Problem;
import org.springframework.stereotype.Component;

/** Where an app comes from: a {@code file://} build folder on this machine. */
@Component
public class AppSources {

    public BuildFolder open(String source) {
        if (source == null || source.isBlank()) {
            throw Problem.malformed(Problem.Source.parameter("Source"), "Source is required, e.g. file:///path/to/build");
        }
        URI uri;
        try {
            uri = new URI(source);
        } catch (URISyntaxException e) {
            throw Problem.invalid(Problem.Source.parameter("Source"), "Source is not a valid URL: " + e.getReason());
        }
        if (!"file".equalsIgnoreCase(uri.getScheme())) {
            throw Problem.invalid(Problem.Source.parameter("Source"), "Unsupported source scheme "
                    + (uri.getScheme() == null ? "(none)" : uri.getScheme() + "://") + "; use file:///path/to/build");
        }
        String host = uri.getHost();
        String path = uri.getPath();
        if ((host != null && !host.equals("localhost")) || path == null || !path.startsWith("/")) {
            throw Problem.invalid(Problem.Source.parameter("Source"),
                    "A file source needs an absolute path: file:///path/to/build");
        }
        Path root = Path.of(path).normalize();
        if (!Files.isDirectory(root)) {
            throw Problem.notFound("Source " + source + " is not a folder on the server");
        }
        return new BuildFolder(root);
    }
}
