package org.jobstack.exec;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import org.jobstack.common.BackgroundLoop;
import org.jobstack.common.Phases;
import org.jobstack.job.WorkerDefinition;
import org.jobstack.job.WorkerRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The service worker's standby processes ({@code jobstack.jobs.workers.service.standby}): node
 * processes that have already paid node's start-up, each waiting for one job. A job takes one if
 * one is ready and otherwise starts its own; a background loop replaces every process taken or
 * found dead. They are not jobs: nothing counts them as running, and they are killed on shutdown.
 */
@Component
class StandbyPool implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StandbyPool.class);
    /** A standby process dying younger than this was probably never able to start: wait before the next. */
    private static final Duration SHORT_LIFE = Duration.ofSeconds(2);

    private static final Duration RETRY_WAIT = Duration.ofSeconds(5);

    private final ProcessLauncher launcher;
    private final ExecSettings exec;
    private final ObjectProvider<WorkerRegistry> workers;
    private final byte[] script;
    private final BlockingDeque<StandbyProcess> ready = new LinkedBlockingDeque<>();
    private final BackgroundLoop loop;
    private volatile int size;
    /**
     * {@link System#nanoTime()} before which no replacement starts: a process is replaced {@code
     * jobstack.exec.standby-refill-delay} after it was taken, since a node starting at once would
     * share the CPUs with the job's hand-off and slow the first statement of its service.
     */
    private volatile long refillNotBefore = System.nanoTime();

    StandbyPool(
            ProcessLauncher launcher, ExecSettings exec, ObjectProvider<WorkerRegistry> workers, MeterRegistry meters) {
        this.launcher = launcher;
        this.exec = exec;
        this.workers = workers;
        this.script = readScript();
        this.loop = BackgroundLoop.of("exec-standby", RETRY_WAIT, "Starting a standby process failed", this::refill);
        meters.gauge("jobstack.exec.standby.ready", ready, BlockingDeque::size);
    }

    /** A live standby process for one job, or empty when none is configured or ready. */
    Optional<StandbyProcess> take() {
        for (StandbyProcess p = ready.pollFirst(); p != null; p = ready.pollFirst()) {
            if (p.isAlive()) {
                refillNotBefore = System.nanoTime() + exec.standbyRefillDelay().toNanos();
                loop.wake();
                return Optional.of(p);
            }
            loop.wake();
            p.discard();
        }
        return Optional.empty();
    }

    /** The pids of the processes waiting now. */
    List<Long> readyPids() {
        return ready.stream().map(StandbyProcess::pid).toList();
    }

    private Duration refill() throws IOException {
        for (StandbyProcess p : List.copyOf(ready)) {
            if (!p.isAlive() && ready.remove(p)) {
                p.discard();
                log.atWarn()
                        .addKeyValue("exitCode", p.process().exitValue())
                        .log("A standby process exited before it was given a job: replacing it");
                if (p.age().compareTo(SHORT_LIFE) < 0) {
                    return RETRY_WAIT;
                }
            }
        }
        long delay = refillNotBefore - System.nanoTime();
        if (delay > 0 && ready.size() < size) {
            return Duration.ofNanos(delay);
        }
        while (loop.isRunning() && ready.size() < size) {
            StandbyProcess p = StandbyProcess.start(launcher, exec, script);
            p.process().onExit().thenRun(loop::wake);
            ready.addLast(p);
        }
        return RETRY_WAIT;
    }

    @Override
    public void start() {
        size = workers.getObject()
                .find("service")
                .filter(w -> w.concurrency() > 0)
                .map(WorkerDefinition::standby)
                .orElse(0);
        if (size > 0) {
            loop.start();
        }
    }

    @Override
    public void stop() {
        loop.stop(Duration.ofSeconds(10));
        List<StandbyProcess> left = new ArrayList<>();
        ready.drainTo(left);
        left.forEach(StandbyProcess::discard);
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }

    /** Started before the dispatcher claims anything, stopped after its last attempt. */
    @Override
    public int getPhase() {
        return Phases.STANDBY;
    }

    private static byte[] readScript() {
        try (InputStream in = StandbyPool.class.getResourceAsStream("standby.js")) {
            if (in == null) {
                throw new IllegalStateException("standby.js missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
