package org.jobstack.exec;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jobstack.config.PrivateFiles;
import org.jobstack.support.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real server process with standby processes: none of them outlives the server, whether it is
 * stopped or killed.
 */
class StandbyShutdownTest {

    @TempDir
    Path dir;

    @Test
    void should_leave_no_standby_process_behind_when_stopped() throws Exception {
        try (ServerProcess server = start()) {
            List<ProcessHandle> waiting = awaitStandbys();

            server.stop();

            await().atMost(Duration.ofSeconds(10)).until(() -> waiting.stream().noneMatch(ProcessHandle::isAlive));
        }
    }

    @Test
    void should_leave_no_standby_process_behind_when_killed() throws Exception {
        try (ServerProcess server = start()) {
            List<ProcessHandle> waiting = awaitStandbys();

            server.kill9();

            await().atMost(Duration.ofSeconds(10))
                    .alias("the watchdog kills them once the server's end of its pipe closes")
                    .until(() -> waiting.stream().noneMatch(ProcessHandle::isAlive));
        }
    }

    private ServerProcess start() throws Exception {
        PrivateFiles.createFolder(dir.resolve("data"));
        return ServerProcess.start(
                dir.resolve("data"),
                ServerProcess.freePort(),
                ServerProcess.freePort(),
                "--jobstack.jobs.workers.service.standby=2",
                "--jobstack.exec.tmp-dir=" + dir.resolve("run"));
    }

    /** The node processes waiting in run directories under this test's folder (not their watchdog shells). */
    private List<ProcessHandle> awaitStandbys() {
        String root = dir.resolve("run").toString();
        await().atMost(Duration.ofSeconds(20)).until(() -> standbys(root).size() == 2);
        return standbys(root);
    }

    private static List<ProcessHandle> standbys(String root) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().orElse("").endsWith("/node")
                        && p.info()
                                .commandLine()
                                .map(c -> c.contains(root) && c.contains(StandbyProcess.SCRIPT))
                                .orElse(false))
                .toList();
    }
}
