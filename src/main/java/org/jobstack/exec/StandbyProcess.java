package org.jobstack.exec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.json.JsonMapper;

/**
 * A node process started ahead in its own run directory, waiting for one service job (see
 * {@code standby.js}). It is started with the environment every service gets before its job is
 * known (PATH, HOME and TMPDIR in its directory, the configured extras); the job's {@code COZY_*}
 * variables come with the hand-off, a file renamed into the directory when the job is claimed.
 */
final class StandbyProcess {

    static final String SCRIPT = ".jobstack-standby.js";
    static final String HAND_OFF = ".jobstack-job.json";
    /** The FIFO the process waits on, once it has made it (see standby.js); absent, it watches the directory. */
    static final String WAKE = ".jobstack-wake";

    private final RunDirectory directory;
    private final Process process;
    private final Instant started;
    private final ProcessLauncher launcher;

    private StandbyProcess(RunDirectory directory, Process process, Instant started, ProcessLauncher launcher) {
        this.launcher = launcher;
        this.directory = directory;
        this.process = process;
        this.started = started;
    }

    static StandbyProcess start(ProcessLauncher launcher, ExecSettings exec, byte[] script) throws IOException {
        RunDirectory dir = RunDirectory.create(exec.runRoot(), "service-");
        try {
            Path file = Files.write(dir.path().resolve(SCRIPT), script);
            Process process = launcher.start(
                    exec.argv(file.toString()),
                    dir.path(),
                    ChildEnvironment.forStandby(dir.path(), exec.childBasics()));
            return new StandbyProcess(dir, process, Instant.now(), launcher);
        } catch (IOException | RuntimeException e) {
            dir.close();
            throw e;
        }
    }

    RunDirectory directory() {
        return directory;
    }

    Process process() {
        return process;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** How long it had lived when it exited, or has lived so far. */
    Duration age() {
        return Duration.between(started, Instant.now());
    }

    /**
     * Gives the process its job's environment: from here on it loads and runs index.js. The byte
     * written to its FIFO wakes it; opened read-write, the FIFO never blocks this thread, even when
     * the process has died.
     */
    void handOff(Map<String, String> env, JsonMapper json) throws IOException {
        Path pending = directory.path().resolve(HAND_OFF + ".part");
        Files.writeString(pending, json.writeValueAsString(Map.of("env", env)));
        Files.move(pending, directory.path().resolve(HAND_OFF), StandardCopyOption.ATOMIC_MOVE);
        Path wake = directory.path().resolve(WAKE);
        if (Files.exists(wake, LinkOption.NOFOLLOW_LINKS)) {
            try (FileChannel fifo = FileChannel.open(
                    wake, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                fifo.write(ByteBuffer.wrap(new byte[] {1}));
            }
        }
    }

    /**
     * Kills an unused standby process and deletes its directory. Closing its stdin makes its
     * watchdog kill its process group; the process itself is killed in case there is none.
     */
    void discard() {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already closed
        }
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        launcher.release(process);
        try {
            directory.close();
        } catch (UncheckedIOException ignored) {
            // a run directory left behind is deleted at the next start
        }
    }
}
