package org.jobstack.exec;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.jobstack.app.App;
import org.jobstack.app.AppFiles;
import org.jobstack.app.AppFilesUnavailable;
import org.jobstack.app.AppState;
import org.jobstack.app.manifest.AppKind;
import org.jobstack.auth.Audience;
import org.jobstack.auth.TokenService;
import org.jobstack.instance.Instance;
import org.jobstack.job.Attempt;
import org.jobstack.job.JobFailure;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** What service and konnector runs share: their instance and app, their credentials, their launch. */
@Component
class NodeRuns {

    /** Credentials outlive the time limit by this much, so a run can finish its last call. */
    static final Duration CREDENTIALS_MARGIN = Duration.ofMinutes(5);

    private final RunLookups lookups;
    private final AppFiles files;
    private final TokenService tokens;
    private final ProcessLauncher launcher;
    private final ExecSettings exec;
    private final Clock clock;

    NodeRuns(
            RunLookups lookups,
            AppFiles files,
            TokenService tokens,
            ProcessLauncher launcher,
            ExecSettings exec,
            Clock clock) {
        this.lookups = lookups;
        this.files = files;
        this.tokens = tokens;
        this.launcher = launcher;
        this.exec = exec;
        this.clock = clock;
    }

    Instance instance(String domain) throws JobFailure {
        return lookups.instance(domain).orElseThrow(() -> JobFailure.permanent("Instance not found"));
    }

    /** The installed, ready app; a missing one is a bad trigger (no retry, trigger removed). */
    App app(String domain, AppKind kind, String slug) throws JobFailure {
        String what = kind == AppKind.KONNECTOR ? "Konnector" : "Application";
        App app = lookups.app(domain, kind, slug).orElseThrow(() -> JobFailure.badTrigger(what + " is not installed"));
        if (app.state() != AppState.READY) {
            throw JobFailure.retryable(what + " is not ready" + (app.error() == null ? "" : ": " + app.error()));
        }
        return app;
    }

    /**
     * The folder of the app's current version on this node (unpacked from the database on first
     * use). A version gone meanwhile is retried on the app as it is now; corrupted or missing
     * files end the job.
     */
    Path files(App app) throws JobFailure {
        try {
            return files.localFolder(app);
        } catch (AppFilesUnavailable e) {
            if (e.reason() == AppFilesUnavailable.Reason.GONE) {
                lookups.forgetApp(app.domain(), app.kind(), app.slug());
                throw JobFailure.retryable(e.getMessage());
            }
            throw JobFailure.permanent(e.getMessage());
        }
    }

    String credentials(Instance instance, Audience audience, String slug, Attempt attempt) {
        Duration ttl = Duration.between(clock.instant(), attempt.deadline()).plus(CREDENTIALS_MARGIN);
        return tokens.mint(instance.domain(), instance.tokenSecret(), audience, slug, null, ttl);
    }

    ChildEnvironment.Run run(Instance instance, String credentials, Attempt attempt, Path dir) {
        return new ChildEnvironment.Run(
                instance.stackUrl(),
                credentials,
                instance.locale(),
                clock.instant(),
                attempt.deadline(),
                attempt.job().id(),
                attempt.job().payload(),
                attempt.job().triggerId(),
                dir);
    }

    ProcessLauncher.Result launch(
            Attempt attempt, Path cwd, String argument, Map<String, String> env, OutputCollector output)
            throws JobFailure, InterruptedException {
        try {
            return launcher.run(exec.argv(argument), cwd, env, attempt, output::stdout, output::stderr);
        } catch (IOException e) {
            throw JobFailure.retryable("exec: " + e.getMessage());
        }
    }

    /** Hands the job to a standby process waiting in its run directory and follows it to its end. */
    ProcessLauncher.Result handOff(
            StandbyProcess standby, Attempt attempt, Map<String, String> env, OutputCollector output, JsonMapper json)
            throws JobFailure, InterruptedException {
        try {
            standby.handOff(env, json);
        } catch (IOException e) {
            throw JobFailure.retryable("exec: " + e.getMessage());
        }
        return launcher.supervise(standby.process(), attempt, output::stdout, output::stderr);
    }

    ExecSettings settings() {
        return exec;
    }
}
