package org.jobstack.exec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.jobstack.app.App;
import org.jobstack.app.AppService;
import org.jobstack.app.manifest.AppKind;
import org.jobstack.auth.Audience;
import org.jobstack.instance.Instance;
import org.jobstack.job.Attempt;
import org.jobstack.job.Job;
import org.jobstack.job.JobFailure;
import org.jobstack.job.JobLog;
import org.jobstack.job.JobRunner;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code service} worker: runs an app's service file with node in a fresh run directory,
 * as the stack does (reference §8.2, 8.4–8.7). The file is copied there from this node's cache of
 * the app's current version before node starts: the run never reads the cache afterwards. With
 * standby processes configured, node may have started before the job: it then waits in the run
 * directory and is handed the job's environment once the file is there. For a job started at once
 * all of this is done while its transaction commits; node starts, or is handed the job, after it.
 */
@Component
class ServiceRunner implements JobRunner {

    private final NodeRuns runs;
    private final ServiceOrphans orphans;
    private final JsonMapper json;
    private final StandbyPool standbys;

    ServiceRunner(NodeRuns runs, ServiceOrphans orphans, JsonMapper json, StandbyPool standbys) {
        this.runs = runs;
        this.standbys = standbys;
        this.orphans = orphans;
        this.json = json;
    }

    @Override
    public String worker() {
        return "service";
    }

    @Override
    public void run(Attempt attempt) throws Exception {
        Job job = attempt.job();
        ServiceMessage message = ServiceMessage.parse(job.message(), json);
        Instance instance = runs.instance(job.domain());
        App app = runs.app(job.domain(), AppKind.WEBAPP, message.slug());
        Map.Entry<String, AppService> service = findService(app, message);
        orphans.check(job, service.getKey(), service.getValue());
        Path folder = runs.files(app);
        Path file = folder.resolve(service.getValue().file()).normalize();
        if (!file.startsWith(folder) || !Files.isRegularFile(file)) {
            throw JobFailure.badTrigger("Service file " + service.getValue().file() + " is missing from the app");
        }
        Optional<StandbyProcess> standby = standbys.take();
        if (standby.isPresent()) {
            try {
                runIn(standby.get().directory(), standby.get(), attempt, instance, app, file, message);
            } finally {
                standby.get().discard();
            }
        } else {
            try (RunDirectory dir = RunDirectory.create(runs.settings().runRoot(), "service-" + app.slug() + "-")) {
                runIn(dir, null, attempt, instance, app, file, message);
            }
        }
    }

    /** Runs the service in {@code dir}: in the standby process that waits there, or in a new one. */
    private void runIn(
            RunDirectory dir,
            StandbyProcess standby,
            Attempt attempt,
            Instance instance,
            App app,
            Path file,
            ServiceMessage message)
            throws Exception {
        Job job = attempt.job();
        ExecSettings exec = runs.settings();
        Files.copy(file, dir.path().resolve("index.js"));
        String credentials = runs.credentials(instance, Audience.APP, app.slug(), attempt);
        Map<String, String> env = ChildEnvironment.forService(
                runs.run(instance, credentials, attempt, dir.path()),
                job.event(),
                message.fields(),
                exec.childBasics(),
                json);
        OutputCollector output = new OutputCollector(attempt.log(), json, exec.messageLimit());
        attempt.awaitStored();
        ProcessLauncher.Result result = standby == null
                ? runs.launch(attempt, dir.path(), dir.path().toString(), env, output)
                : runs.handOff(standby, attempt, env, output, json);
        stderrDropped(result, attempt);
        Outcomes.service(result, output);
    }

    /** Everything up to node's start (or the standby's hand-off) is done while the job is being stored. */
    @Override
    public boolean preparesBeforeStored() {
        return true;
    }

    @Override
    public boolean hasStandby() {
        return true;
    }

    static void stderrDropped(ProcessLauncher.Result result, Attempt attempt) {
        if (result.stderrDropped() > 0) {
            attempt.log()
                    .append(
                            JobLog.JOBSTACK,
                            "warning",
                            "stderr limit reached: " + result.stderrDropped() + " bytes dropped");
        }
    }

    private Map.Entry<String, AppService> findService(App app, ServiceMessage message) throws JobFailure {
        Map<String, AppService> services = app.services();
        Optional<Map.Entry<String, AppService>> found = message.name().isEmpty()
                ? services.entrySet().stream()
                        .filter(e -> e.getValue().file().equals(stripSlash(message.serviceFile())))
                        .findFirst()
                : Optional.ofNullable(services.get(message.name())).map(s -> Map.entry(message.name(), s));
        return found.orElseThrow(() -> JobFailure.badTrigger("Service \"" + message.name() + "\" was not found"));
    }

    private static String stripSlash(String file) {
        String f = file;
        while (f.startsWith("/")) {
            f = f.substring(1);
        }
        return f;
    }
}
