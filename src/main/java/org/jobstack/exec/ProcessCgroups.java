package org.jobstack.exec;

import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.jobstack.common.Ids;
import org.jobstack.config.JobstackProperties;
import org.jobstack.node.NodeIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A pids cgroup per child process, so that {@code jobstack.exec.limits.processes} bounds the
 * processes and threads of one job, whatever it starts (a fork bomb gets EAGAIN), and whatever a
 * job left behind is killed, even outside its process group. Needs a pids cgroup this server may
 * write: cgroup v1's pids hierarchy, or a delegated cgroup v2 subtree (systemd's {@code
 * Delegate=pids}); without one the limit is not applied and the start says so.
 */
@Component
class ProcessCgroups {

    private static final Logger log = LoggerFactory.getLogger(ProcessCgroups.class);

    /** How long what a job left in its cgroup gets to die once killed; past it the cgroup is left to the next start or the shutdown. */
    private static final Duration KILL_WAIT = Duration.ofSeconds(1);

    private final int max;
    /** This node's folder of child cgroups; null when the limit is not applied. */
    private final Path parent;

    ProcessCgroups(JobstackProperties properties, NodeIdentity node) {
        this.max = properties.exec().limits().processes();
        this.parent = max > 0 ? prepare(node.id()) : null;
    }

    boolean enabled() {
        return parent != null;
    }

    /** A fresh cgroup whose pids.max is the limit; the child enters it before it runs anything. */
    Path create() throws IOException {
        Path cgroup = Files.createDirectory(parent.resolve("job-" + Ids.newId()));
        Files.writeString(cgroup.resolve("pids.max"), Integer.toString(max));
        return cgroup;
    }

    /**
     * Kills what is left in the cgroup and removes it; true when the limit refused a process
     * (pids.events counts the refused forks).
     */
    boolean release(Path cgroup) {
        boolean reached = refusedForks(cgroup) > 0;
        long deadline = System.nanoTime() + KILL_WAIT.toNanos();
        // The job's slot waits for this: look again soon, then less often.
        for (long pause = 1; !killAll(cgroup) && System.nanoTime() < deadline; pause = Math.min(20, 2 * pause)) {
            ProcessTree.sleep(pause);
        }
        try {
            Files.deleteIfExists(cgroup);
        } catch (IOException e) {
            log.atDebug().addKeyValue("cgroup", cgroup).log("Cgroup not removed yet: {}", e.getMessage());
        }
        return reached;
    }

    /** At shutdown: what children left is killed, and this node's folder removed. */
    @PreDestroy
    void removeFolder() {
        if (parent != null) {
            removeLeftovers(parent);
            try {
                Files.deleteIfExists(parent);
            } catch (IOException e) {
                log.atDebug().log("Cgroup folder {} not removed: {}", parent, e.getMessage());
            }
        }
    }

    private static long refusedForks(Path cgroup) {
        try {
            return Files.readAllLines(cgroup.resolve("pids.events")).stream()
                    .filter(l -> l.startsWith("max "))
                    .mapToLong(l -> Long.parseLong(l.substring(4).trim()))
                    .sum();
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /** Kills every process still in the cgroup; true when none was left. */
    private static boolean killAll(Path cgroup) {
        List<String> pids;
        try {
            pids = Files.readAllLines(cgroup.resolve("cgroup.procs"));
        } catch (IOException e) {
            return true;
        }
        pids.stream()
                .filter(p -> !p.isBlank())
                .map(p -> ProcessHandle.of(Long.parseLong(p.trim())))
                .flatMap(Optional::stream)
                .forEach(ProcessHandle::destroyForcibly);
        return pids.stream().allMatch(String::isBlank);
    }

    private Path prepare(String nodeId) {
        Optional<Path> base = PidsHierarchy.ofThisProcess();
        if (base.isEmpty()) {
            warn("no pids cgroup is mounted");
            return null;
        }
        Path folder = base.get().resolve("jobstack-" + nodeId.replaceAll("[^A-Za-z0-9_.-]", "_"));
        try {
            Files.createDirectories(folder);
            if (Files.exists(folder.resolve("cgroup.subtree_control"))) { // cgroup v2: pids for the children
                if (!Files.exists(folder.resolve("pids.max"))) {
                    Files.writeString(base.get().resolve("cgroup.subtree_control"), "+pids");
                }
                Files.writeString(folder.resolve("cgroup.subtree_control"), "+pids");
            }
            Path probe = Files.createDirectory(folder.resolve("probe-" + Ids.newId()));
            boolean limited = Files.exists(probe.resolve("pids.max"));
            Files.delete(probe);
            if (!limited) {
                warn("the pids controller is not enabled under " + base.get());
                return null;
            }
        } catch (IOException e) {
            warn("cannot make a pids cgroup under " + base.get() + " (" + e.getMessage() + ")");
            return null;
        }
        removeLeftovers(folder);
        log.atInfo().log("Each job is limited to {} processes and threads (pids cgroups under {})", max, folder);
        return folder;
    }

    /** Cgroups left by a crashed run of this node: what is in them is killed, they are removed. */
    private void removeLeftovers(Path folder) {
        try (Stream<Path> children = Files.list(folder)) {
            children.filter(Files::isDirectory).forEach(this::release);
        } catch (IOException e) {
            log.atWarn().log("Cannot list {}: {}", folder, e.getMessage());
        }
    }

    private void warn(String why) {
        log.atWarn()
                .log(
                        "jobstack.exec.limits.processes ({}) is not applied: {}. It needs a pids cgroup this server may"
                                + " write (cgroup v1's pids hierarchy, or a delegated cgroup v2 subtree)",
                        max,
                        why);
    }

    /** Where this process's pids cgroup is, from /proc/self/mountinfo and /proc/self/cgroup. */
    static final class PidsHierarchy {

        private PidsHierarchy() {}

        static Optional<Path> ofThisProcess() {
            try {
                return find(
                        Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8),
                        Files.readAllLines(Path.of("/proc/self/cgroup"), StandardCharsets.UTF_8));
            } catch (IOException e) {
                return Optional.empty();
            }
        }

        /** cgroup v1's pids hierarchy if mounted, else the cgroup v2 one; joined with this process's own cgroup. */
        static Optional<Path> find(List<String> mountinfo, List<String> cgroups) {
            Optional<String> v1 = mountOf(mountinfo, "cgroup", true);
            if (v1.isPresent()) {
                return ownPath(cgroups, ":pids:").map(own -> Path.of(v1.get(), own));
            }
            return mountOf(mountinfo, "cgroup2", false)
                    .flatMap(mount -> ownPath(cgroups, "0::").map(own -> Path.of(mount, own)));
        }

        private static Optional<String> mountOf(List<String> mountinfo, String type, boolean pidsOption) {
            for (String line : mountinfo) {
                String[] halves = line.split(" - ", 2);
                String[] fields = halves[0].split(" ");
                String[] after = halves.length > 1 ? halves[1].split(" ") : new String[0];
                if (fields.length > 4
                        && after.length > 2
                        && after[0].equals(type)
                        && (!pidsOption || List.of(after[2].split(",")).contains("pids"))) {
                    return Optional.of(fields[4]);
                }
            }
            return Optional.empty();
        }

        private static Optional<String> ownPath(List<String> cgroups, String marker) {
            return cgroups.stream()
                    .filter(l -> l.contains(marker))
                    .map(l -> l.substring(l.indexOf(marker) + marker.length()))
                    .map(p -> p.startsWith("/") ? p.substring(1) : p)
                    .findFirst();
        }
    }
}
