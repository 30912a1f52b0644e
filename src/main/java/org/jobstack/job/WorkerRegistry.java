package org.jobstack.job;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jobstack.common.Problem;
import org.jobstack.config.JobstackProperties;
import org.jobstack.config.StartupRefusal;
import org.springframework.stereotype.Component;

/**
 * The worker types this node knows, with the reference's defaults (docs/configuration.md lists
 * them) overridden by {@code jobstack.jobs.workers.<name>.*}.
 */
@Component
public class WorkerRegistry {

    public static final String CLIENT = "client";
    private final Map<String, WorkerDefinition> workers = new LinkedHashMap<>();

    public WorkerRegistry(JobstackProperties properties, List<JobRunner> runners) {
        int cpus = Runtime.getRuntime().availableProcessors();
        Set<String> runnable = runners.stream().map(JobRunner::worker).collect(Collectors.toSet());
        Set<String> withStandby = runners.stream()
                .filter(JobRunner::hasStandby)
                .map(JobRunner::worker)
                .collect(Collectors.toSet());
        Map<String, JobstackProperties.WorkerSettings> overrides =
                properties.jobs().workers() == null
                        ? Map.of()
                        : properties.jobs().workers();
        for (WorkerDefinition builtIn : defaults(cpus)) {
            if (builtIn.executes() && !runnable.contains(builtIn.name())) {
                continue;
            }
            workers.put(builtIn.name(), override(builtIn, overrides.get(builtIn.name()), withStandby));
        }
        for (String name : overrides.keySet()) {
            if (!workers.containsKey(name)) {
                throw badSetting("jobstack.jobs.workers." + name + ": unknown worker (known: "
                        + String.join(", ", workers.keySet()) + ")");
            }
        }
    }

    static List<WorkerDefinition> defaults(int cpus) {
        return List.of(
                new WorkerDefinition("service", 2 * cpus, 2, Duration.ofSeconds(300), false, true, true, 1, null, 0),
                new WorkerDefinition("konnector", 2 * cpus, 2, Duration.ofSeconds(300), false, true, true, 1, null, 0),
                new WorkerDefinition("log", cpus, 1, Duration.ofSeconds(1), false, true, true, 4, null, 0),
                new WorkerDefinition(CLIENT, 0, 1, Duration.ofSeconds(300), false, true, false, 1, null, 0));
    }

    private static WorkerDefinition override(
            WorkerDefinition d, JobstackProperties.WorkerSettings s, Set<String> withStandby) {
        if (s == null) {
            return d;
        }
        int concurrency = s.concurrency() != null ? s.concurrency() : d.concurrency();
        if (concurrency < 0
                || (s.maxExecCount() != null && s.maxExecCount() < 1)
                || (s.timeout() != null && s.timeout().compareTo(Duration.ZERO) <= 0)
                || (s.prefetch() != null && s.prefetch() < 1)
                || (s.clusterConcurrency() != null && (s.clusterConcurrency() < 1 || !d.executes()))) {
            throw badSetting("jobstack.jobs.workers." + d.name()
                    + ": concurrency must be >= 0, max-exec-count >= 1, timeout > 0, prefetch >= 1,"
                    + " cluster-concurrency >= 1 (and only for workers that run jobs)");
        }
        if (s.standby() != null && (s.standby() < 0 || (s.standby() > 0 && !withStandby.contains(d.name())))) {
            throw badSetting("jobstack.jobs.workers." + d.name() + ".standby: must be >= 0, and only the workers "
                    + withStandby + " have standby processes");
        }
        boolean enabled = (s.enabled() == null || s.enabled()) && (d.executes() ? concurrency > 0 : true);
        return new WorkerDefinition(
                d.name(),
                concurrency,
                s.maxExecCount() != null ? s.maxExecCount() : d.maxExecCount(),
                s.timeout() != null ? s.timeout() : d.timeout(),
                s.reserved() != null ? s.reserved() : d.reserved(),
                enabled,
                d.executes(),
                s.prefetch() != null ? s.prefetch() : d.prefetch(),
                s.clusterConcurrency(),
                s.standby() != null ? s.standby() : d.standby());
    }

    /** A known, enabled worker. */
    /** Reserved workers take jobs and triggers from the CLI only (reference §7.1); others get 403. */
    public void refuseReserved(String worker, boolean cli) {
        if (!cli
                && worker != null
                && find(worker).map(WorkerDefinition::reserved).orElse(false)) {
            throw Problem.forbidden("Worker " + worker + " is reserved to the CLI");
        }
    }

    public Optional<WorkerDefinition> find(String name) {
        return Optional.ofNullable(workers.get(name)).filter(WorkerDefinition::enabled);
    }

    public List<WorkerDefinition> all() {
        return List.copyOf(workers.values());
    }

    private static StartupRefusal badSetting(String what) {
        return new StartupRefusal(
                what,
                "Fix it in config/application.yml or in its environment variable (docs/configuration.md lists each"
                        + " setting with its default).");
    }
}
