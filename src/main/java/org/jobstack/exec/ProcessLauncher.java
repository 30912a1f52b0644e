package org.jobstack.exec;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jobstack.common.DaemonThreads;
import org.jobstack.common.GentleShutdown;
import org.jobstack.job.Attempt;
import org.springframework.stereotype.Component;

/**
 * Runs one child process to its end: environment exactly as given, stdin empty, stdout and
 * stderr pumped line by line, killed with its whole tree at the deadline or on cancel, and any
 * process it left behind killed after it exits.
 */
@Component
class ProcessLauncher {

    private static final File DEV_NULL = new File("/dev/null");

    private final ExecSettings exec;
    private final ProcessCgroups cgroups;
    private final Clock clock;
    private final Counter starts;
    private final ExecutorService pumps;
    /** The pids cgroup of each child that has one, by pid, until it is released. */
    private final Map<Long, Path> cgroupOf = new ConcurrentHashMap<>();

    public ProcessLauncher(ExecSettings exec, ProcessCgroups cgroups, Clock clock, MeterRegistry meters) {
        this.exec = exec;
        this.cgroups = cgroups;
        this.clock = clock;
        this.starts = meters.counter("jobstack.exec.processes.started");
        this.pumps = Executors.newCachedThreadPool(DaemonThreads.numbered("exec-io"));
    }

    /** How the process ended. {@code exitCode} is meaningless when it timed out or was cancelled. */
    public record Result(
            int exitCode,
            boolean timedOut,
            boolean cancelled,
            long stdoutDropped,
            long stderrDropped,
            boolean processLimitReached) {}

    public Result run(
            List<String> argv,
            Path cwd,
            Map<String, String> env,
            Attempt attempt,
            Consumer<String> stdout,
            Consumer<String> stderr)
            throws IOException, InterruptedException {
        return supervise(start(argv, cwd, env), attempt, stdout, stderr);
    }

    /** Starts a child with exactly {@code env}; its stdin is the watchdog's pipe, or empty. */
    Process start(List<String> argv, Path cwd, Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(argv)
                .directory(cwd.toFile())
                .redirectInput(
                        exec.ownProcessGroup() ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.from(DEV_NULL));
        builder.environment().clear();
        builder.environment().putAll(env);
        Path cgroup = cgroups.enabled() && exec.ownProcessGroup() ? cgroups.create() : null;
        if (cgroup != null) {
            builder.environment().put(ExecSettings.CGROUP_VARIABLE, cgroup.toString());
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException | RuntimeException e) {
            if (cgroup != null) {
                cgroups.release(cgroup);
            }
            throw e;
        }
        if (cgroup != null) {
            cgroupOf.put(process.pid(), cgroup);
        }
        starts.increment();
        return process;
    }

    /**
     * Kills what the child left in its pids cgroup and removes the cgroup; true when the limit
     * refused it a process. Does nothing for a child without one, or already released.
     */
    boolean release(Process process) {
        Path cgroup = cgroupOf.remove(process.pid());
        return cgroup != null && cgroups.release(cgroup);
    }

    /** Follows a started child through one attempt, to its end (see the class comment). */
    Result supervise(Process process, Attempt attempt, Consumer<String> stdout, Consumer<String> stderr)
            throws InterruptedException {
        attempt.onCancel(() -> ProcessTree.terminate(process, exec.ownProcessGroup(), exec.killGrace()));
        LinePump out = new LinePump(process.getInputStream(), exec.lineLimit(), Long.MAX_VALUE, stdout);
        LinePump err = new LinePump(process.getErrorStream(), exec.lineLimit(), exec.stderrLimit(), stderr);
        Future<?> outDone = pumps.submit(out);
        Future<?> errDone = pumps.submit(err);
        Duration left = Duration.between(clock.instant(), attempt.deadline());
        boolean exited = process.waitFor(Math.max(0, left.toMillis()), TimeUnit.MILLISECONDS);
        boolean timedOut = !exited && !attempt.isCancelled();
        if (!exited) {
            ProcessTree.terminate(process, exec.ownProcessGroup(), exec.killGrace());
        }
        closeQuietly(process.getOutputStream());
        drain(process, outDone, errDone);
        int exitCode = process.exitValue();
        attempt.exitCode(exitCode);
        boolean processLimitReached = release(process);
        return new Result(
                exitCode, timedOut, attempt.isCancelled(), out.droppedBytes(), err.droppedBytes(), processLimitReached);
    }

    /**
     * Waits for the pumps to read the last output. Pipes still open shortly after the exit mean a
     * descendant holds them and the watchdog did not clear the group: the rest of the group is
     * killed, then the streams are closed.
     */
    private void drain(Process process, Future<?> outDone, Future<?> errDone) throws InterruptedException {
        if (await(outDone, errDone, 200)) {
            return;
        }
        ProcessTree.killLeftovers(process, exec.ownProcessGroup());
        if (!await(outDone, errDone, 2_000)) {
            closeQuietly(process);
            await(outDone, errDone, 1_000);
        }
    }

    private static boolean await(Future<?> a, Future<?> b, long millis) throws InterruptedException {
        Instant end = Instant.now().plusMillis(millis);
        for (Future<?> f : List.of(a, b)) {
            try {
                f.get(Math.max(0, Duration.between(Instant.now(), end).toMillis()), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                return false;
            } catch (ExecutionException e) {
                // a pump never throws; treat as drained
            }
        }
        return true;
    }

    private static void closeQuietly(Process process) {
        closeQuietly(process.getInputStream());
        closeQuietly(process.getErrorStream());
    }

    /** Closing the child's stdin tells its watchdog to kill what is left of its process group. */
    private static void closeQuietly(Closeable stream) {
        try {
            stream.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @PreDestroy
    void shutdown() {
        GentleShutdown.stop(pumps, Duration.ofSeconds(5));
    }
}
