package org.jobstack.exec;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jobstack.common.FileTrees;
import org.jobstack.config.DataDirectory;
import org.jobstack.config.JobstackProperties;
import org.jobstack.config.PrivateFiles;
import org.jobstack.node.NodeIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * How child processes are started, resolved once at start-up: the command (absolute path), the
 * {@code setsid} wrapper that gives each child its own process group, the child's PATH, and the
 * private folder under which run directories are made (emptied at start: leftovers of a crash).
 */
@Component
public class ExecSettings {

    private static final Logger log = LoggerFactory.getLogger(ExecSettings.class);

    private final String command;
    private final String setsid;
    private final String childPath;
    private final Path runRoot;
    private final Map<String, String> extraEnv;
    private final JobstackProperties.Exec settings;
    /** The shell script that runs a child (see {@link #script}). */
    private final String script;

    public ExecSettings(JobstackProperties properties, NodeIdentity node, DataDirectory dataDirectory) {
        this.settings = properties.exec();
        this.command = resolve(settings.command()).orElseGet(() -> {
            log.atWarn()
                    .log(
                            "Command '{}' not found on PATH: service jobs will fail until it is installed",
                            settings.command());
            return settings.command();
        });
        this.setsid = resolve("setsid")
                .filter(s -> Files.isExecutable(Path.of("/bin/sh")))
                .orElse(null);
        if (setsid == null) {
            log.atWarn()
                    .log("No setsid or /bin/sh: child processes share Jobstack's process group, and those of a "
                            + "crashed Jobstack are not killed");
        }
        List<String> path = new ArrayList<>();
        if (settings.path() != null && !settings.path().isEmpty()) {
            path.addAll(settings.path());
        } else {
            Path parent = Path.of(command).getParent();
            if (parent != null) {
                path.add(parent.toString());
            }
            path.addAll(List.of("/usr/local/bin", "/usr/bin", "/bin"));
        }
        this.childPath =
                String.join(File.pathSeparator, path.stream().distinct().toList());
        this.runRoot = settings.tmpDir() != null
                ? settings.tmpDir().resolve(node.id()).toAbsolutePath()
                : dataDirectory.resolve("run");
        this.extraEnv = settings.extraEnv() == null ? Map.of() : new LinkedHashMap<>(settings.extraEnv());
        String limits = limits(settings.limits());
        this.script = script(limits);
        if (setsid == null && !limits.isEmpty()) {
            log.atWarn().log("No setsid or /bin/sh: jobstack.exec.limits cannot be applied to child processes");
        }
        resetRunRoot();
    }

    /** The name the wrapper shell gives itself ({@code $0}): it starts the lines the shell itself prints. */
    static final String SHELL_NAME = "jobstack-watchdog";

    /** The variable that tells the wrapper shell which cgroup to enter; unset before the child runs. */
    static final String CGROUP_VARIABLE = "JOBSTACK_CGROUP";

    /**
     * Starts a watcher reading our stdin: when Jobstack's end of that pipe closes (Jobstack closed it
     * after the child exited, or Jobstack itself died, even by SIGKILL), it kills the child's whole
     * process group. Only used in a group of its own. The pipe is passed on fd 3: a shell gives
     * background jobs /dev/null as their stdin. Forked before the shell enters the job's pids cgroup,
     * so that the cgroup is empty as soon as the job is: the watcher is not the job's, and does not
     * hold the job's slot while it exits.
     */
    static final String WATCHDOG =
            "unset PWD; exec 3<&0; ( while read -r _ <&3; do :; done; kill -KILL 0 ) >/dev/null 2>&1 & ";

    /** Enters the child's pids cgroup, if it has one. */
    static final String ENTER_CGROUP =
            "if [ -n \"${" + CGROUP_VARIABLE + ":-}\" ]; then echo $$ > \"$" + CGROUP_VARIABLE
                    + "/cgroup.procs\" || { echo 'jobstack: cannot enter the process cgroup' >&2; exit 125; }; fi; unset "
                    + CGROUP_VARIABLE + "; ";

    /** Runs "$@" in place of the shell, its stdin empty. */
    static final String RUN = "exec \"$@\" </dev/null 3<&-";

    /** The whole wrapper: the watcher, the cgroup, then {@code limits} (see {@link #limits}), then the child. */
    static String script(String limits) {
        return WATCHDOG + ENTER_CGROUP + limits + RUN;
    }

    /**
     * argv to run {@code argument} (a run directory) with the configured command: in a session and
     * process group of its own under the watchdog when {@code setsid} exists, else plainly.
     */
    public List<String> argv(String argument) {
        if (setsid == null) {
            return List.of(command, argument);
        }
        return List.of(setsid, "/bin/sh", "-c", script, SHELL_NAME, command, argument);
    }

    /**
     * The {@code ulimit} commands that set the configured limits, or an empty string; a shell that
     * cannot set them ends the run with a line saying so, never runs it unlimited.
     */
    static String limits(JobstackProperties.ChildLimits limits) {
        List<String> flags = new ArrayList<>();
        if (limits.memory() != null && limits.memory().toBytes() > 0) {
            // the data limit, not the address space: node's fetch reserves ~10 GB of it for WebAssembly
            flags.add("-d " + Math.max(1, limits.memory().toKilobytes()));
        }
        if (limits.cpuTime() != null && !limits.cpuTime().isZero()) {
            long seconds = Math.max(1, limits.cpuTime().toSeconds());
            // SIGXCPU at the soft limit (the run ends saying why), SIGKILL a second later if ignored
            flags.add("-S -t " + seconds);
            flags.add("-H -t " + (seconds + 1));
        }
        if (limits.openFiles() > 0) {
            flags.add("-n " + limits.openFiles());
        }
        if (flags.isEmpty()) {
            return "";
        }
        String set = flags.stream().map(f -> "ulimit " + f).collect(Collectors.joining(" && "));
        return "{ " + set + "; } || { echo 'jobstack: cannot set the resource limits (" + String.join(", ", flags)
                + ")' >&2; exit 125; }; ";
    }

    public boolean ownProcessGroup() {
        return setsid != null;
    }

    public Path runRoot() {
        return runRoot;
    }

    /** What every child's environment gets from the server: PATH, then the configured extras. */
    ChildEnvironment.Basics childBasics() {
        return new ChildEnvironment.Basics(childPath, extraEnv);
    }

    /** How long after a standby process is taken its replacement starts (see {@link StandbyPool}). */
    Duration standbyRefillDelay() {
        return settings.standbyRefillDelay();
    }

    public Duration killGrace() {
        return settings.killGrace();
    }

    public int messageLimit() {
        return settings.messageLimit();
    }

    public int lineLimit() {
        return settings.lineLimit();
    }

    public int stderrLimit() {
        return settings.stderrLimit();
    }

    public long logLimit() {
        return settings.logLimit();
    }

    static Optional<String> resolve(String command) {
        if (command.contains("/")) {
            Path path = Path.of(command).toAbsolutePath().normalize();
            return Files.isExecutable(path) ? Optional.of(path.toString()) : Optional.empty();
        }
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "/usr/local/bin:/usr/bin:/bin" : path).split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, command);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate.toAbsolutePath().normalize().toString());
            }
        }
        return Optional.empty();
    }

    private void resetRunRoot() {
        try {
            if (Files.exists(runRoot)) {
                FileTrees.delete(runRoot);
            }
            PrivateFiles.createFolder(runRoot);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + runRoot, e);
        }
    }
}
