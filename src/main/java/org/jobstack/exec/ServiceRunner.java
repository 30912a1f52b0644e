package org.jobstack.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.jobstack.app.App;
import org.jobstack.app.AppCatalog;
import org.jobstack.app.AppKind;
import org.jobstack.app.AppService;
import org.jobstack.app.AppState;
import org.jobstack.auth.Audience;
import org.jobstack.auth.TokenService;
import org.jobstack.instance.Instance;
import org.jobstack.instance.InstanceRepository;
import org.jobstack.job.Attempt;
import org.jobstack.job.Job;
import org.jobstack.job.JobFailure;
import org.jobstack.job.JobLog;
import org.jobstack.job.JobRunner;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code service} worker: runs an app's service file with node in a fresh run directory,
 * as the stack does (reference §8.2–8.7).
 */
@Component
class ServiceRunner implements JobRunner {

    /** Credentials outlive the time limit by this much, so a service can finish its last call. */
    static final Duration CREDENTIALS_MARGIN = Duration.ofMinutes(5);

    private final InstanceRepository instances;
    private final AppCatalog apps;
    private final ServiceOrphans orphans;
    private final TokenService tokens;
    private final ProcessLauncher launcher;
    private final ExecSettings exec;
    private final JsonMapper json;
    private final Clock clock;

    ServiceRunner(InstanceRepository instances, AppCatalog apps, ServiceOrphans orphans, TokenService tokens,
                  ProcessLauncher launcher, ExecSettings exec, JsonMapper json, Clock clock) {
        this.instances = instances;
        this.apps = apps;
        this.orphans = orphans;
        this.tokens = tokens;
        this.launcher = launcher;
        this.exec = exec;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public String worker() {
        return "service";
    }

    @Override
    public void run(Attempt attempt) throws Exception {
        Job job = attempt.job();
        ServiceMessage message = ServiceMessage.parse(job.message(), json);
        Instance instance = instances.findById(job.domain())
                .orElseThrow(() -> JobFailure.permanent("Instance not found"));
        App app = apps.find(job.domain(), AppKind.WEBAPP, message.slug())
                .orElseThrow(() -> JobFailure.badTrigger("Application is not installed"));
        if (app.state() != AppState.READY) {
            throw JobFailure.retryable("Application is not ready");
        }
        Map.Entry<String, AppService> service = findService(app, message);
        orphans.check(job, service.getKey(), service.getValue());
        Path file = app.storage().resolve(service.getValue().file()).normalize();
        if (!file.startsWith(app.storage()) || !Files.isRegularFile(file)) {
            throw JobFailure.badTrigger("Service file " + service.getValue().file() + " is missing from the app");
        }
        try (RunDirectory dir = RunDirectory.create(exec.runRoot(), "service-" + app.slug() + "-")) {
            Files.copy(file, dir.path().resolve("index.js"));
            Map<String, String> env = ChildEnvironment.forService(new ChildEnvironment.ServiceRun(
                    instance.stackUrl(), credentials(instance, app.slug(), attempt), instance.locale(), clock.instant(),
                    attempt.deadline(), job.id(), job.event(), job.payload(), message.fields(), job.triggerId(),
                    dir.path()), exec, json);
            ProcessLauncher.Result result = run(attempt, dir.path(), env);
            outcome(result, attempt);
        }
    }

    private Map.Entry<String, AppService> findService(App app, ServiceMessage message) throws JobFailure {
        Map<String, AppService> services = app.services();
        Optional<Map.Entry<String, AppService>> found = message.name().isEmpty()
                ? services.entrySet().stream().filter(e -> e.getValue().file().equals(stripSlash(message.serviceFile())))
                .findFirst()
                : Optional.ofNullable(services.get(message.name())).map(s -> Map.entry(message.name(), s));
        return found.orElseThrow(() -> JobFailure.badTrigger("Service \"" + message.name() + "\" was not found"));
    }

    private String credentials(Instance instance, String slug, Attempt attempt) {
        Duration ttl = Duration.between(clock.instant(), attempt.deadline()).plus(CREDENTIALS_MARGIN);
        return tokens.mint(instance.domain(), instance.tokenSecret(), Audience.APP, slug, null, ttl);
    }

    private ProcessLauncher.Result run(Attempt attempt, Path dir, Map<String, String> env) throws JobFailure,
            InterruptedException {
        JobLog log = attempt.log();
        try {
            return launcher.run(exec.argv(dir.toString()), dir, env, attempt,
                    line -> {
                        CozyLogLine parsed = CozyLogLine.parse(line, json, exec.messageLimit());
                        log.append(JobLog.STDOUT, parsed.level(), parsed.message());
                    },
                    line -> log.append(JobLog.STDERR, "error", line));
        } catch (IOException e) {
            throw JobFailure.retryable("exec: " + e.getMessage());
        }
    }

    private void outcome(ProcessLauncher.Result result, Attempt attempt) throws JobFailure {
        if (result.stderrDropped() > 0) {
            attempt.log().append(JobLog.JOBSTACK, "warning", "stderr limit reached: "
                    + result.stderrDropped() + " bytes dropped");
        }
        if (result.cancelled()) {
            throw JobFailure.permanent("cancelled");
        }
        if (result.timedOut()) {
            throw JobFailure.retryable("context deadline exceeded (time limit reached, process tree killed)");
        }
        int code = result.exitCode();
        if (code == 0) {
            return;
        }
        throw JobFailure.retryable(code > 128 ? "signal: " + Signals.name(code - 128) : "exit status " + code);
    }

    private static String stripSlash(String file) {
        String f = file;
        while (f.startsWith("/")) {
            f = f.substring(1);
        }
        return f;
    }
}
