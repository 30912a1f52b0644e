package org.jobstack.exec;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Set;
import org.jobstack.app.App;
import org.jobstack.app.manifest.AppKind;
import org.jobstack.auth.Audience;
import org.jobstack.instance.Instance;
import org.jobstack.job.Attempt;
import org.jobstack.job.Job;
import org.jobstack.job.JobFailure;
import org.jobstack.job.JobRunner;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code konnector} worker: runs a konnector's whole folder with node (reference §8.1,
 * 8.3–8.7). Its message, whatever it holds, is {@code COZY_FIELDS}; its manifest's
 * {@code parameters} are {@code COZY_PARAMETERS}. The folder is copied into the run directory from
 * this node's cache of the konnector's current version before node starts.
 */
@Component
class KonnectorRunner implements JobRunner {

    /** Files of a konnector that do not go into its run directory. */
    static final Set<String> LEFT_OUT = Set.of("README.md", "package.json", ".travis.yml", "LICENSE");

    private final NodeRuns runs;
    private final JsonMapper json;

    KonnectorRunner(NodeRuns runs, JsonMapper json) {
        this.runs = runs;
        this.json = json;
    }

    @Override
    public String worker() {
        return "konnector";
    }

    @Override
    public void run(Attempt attempt) throws Exception {
        Job job = attempt.job();
        JsonNode message = message(job.message());
        String slug = message.path("konnector").asString("");
        if (slug.isEmpty()) {
            throw JobFailure.permanent("The konnector job message needs a konnector: {\"konnector\":\"…\",…}");
        }
        Instance instance = runs.instance(job.domain());
        App app = runs.app(job.domain(), AppKind.KONNECTOR, slug);
        JsonNode manifest = json.readTree(app.manifest());
        String argument = ".";
        if (message.path("account_deleted").asBoolean(false)) {
            String onDelete = manifest.path("on_delete_account").asString("");
            if (onDelete.isEmpty()) {
                return;
            }
            argument = onDelete;
        }
        ExecSettings exec = runs.settings();
        try (RunDirectory dir = RunDirectory.create(exec.runRoot(), "konnector-" + slug + "-")) {
            copyKonnector(runs.files(app), dir.path());
            Path target = dir.path().resolve(argument).normalize();
            if (!target.startsWith(dir.path())) {
                throw JobFailure.permanent("on_delete_account must stay inside the konnector");
            }
            String credentials = runs.credentials(instance, Audience.KONNECTOR, slug, attempt);
            JsonNode parameters = manifest.get("parameters");
            Map<String, String> env = ChildEnvironment.forKonnector(
                    runs.run(instance, credentials, attempt, dir.path()),
                    job.message(),
                    parameters == null || parameters.isNull() ? null : parameters.toString(),
                    manifest.path("language").asString(""),
                    job.manual(),
                    exec.childBasics(),
                    json);
            OutputCollector output = new OutputCollector(attempt.log(), json, exec.messageLimit());
            ProcessLauncher.Result result = runs.launch(attempt, dir.path(), target.toString(), env, output);
            ServiceRunner.stderrDropped(result, attempt);
            Outcomes.konnector(result, output);
        }
    }

    private JsonNode message(String text) throws JobFailure {
        try {
            JsonNode node = text == null ? null : json.readTree(text);
            if (node == null || !node.isObject()) {
                throw JobFailure.permanent("The konnector job message must be a JSON object");
            }
            return node;
        } catch (JacksonException e) {
            throw JobFailure.permanent("The konnector job message is not JSON");
        }
    }

    /** Copies the installed konnector, less its {@link #LEFT_OUT} files at the top. */
    static void copyKonnector(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path relative = from.relativize(file);
                if (!(relative.getNameCount() == 1 && LEFT_OUT.contains(relative.toString()))) {
                    Files.copy(file, to.resolve(relative.toString()));
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
