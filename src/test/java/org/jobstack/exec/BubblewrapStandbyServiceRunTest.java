package org.jobstack.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.jobstack.support.Api;
import org.jobstack.support.Jobs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Standby processes through the bubblewrap wrapper: the tests of {@link ServiceRunEndToEndTest}
 * with every service started ahead inside its sandbox.
 */
@EnabledIf("org.jobstack.exec.WrapperScriptsTest#bubblewrapWorks")
@TestPropertySource(
        properties = {"jobstack.jobs.workers.service.standby=1", "jobstack.exec.command=config/bwrap-node-run.sh"})
class BubblewrapStandbyServiceRunTest extends ServiceRunEndToEndTest {

    @Autowired
    StandbyPool pool;

    @Autowired
    ExecSettings exec;

    @BeforeEach
    void poolIsFull() {
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.readyPids().size() == 1);
    }

    @Test
    void should_run_a_job_in_a_sandboxed_process_started_before_it() {
        install("probe", PROBE_APP);
        long waiting = pool.readyPids().get(0);

        String jobId = postEvent("""
                {"verb":"CREATED","doctype":"io.cozy.probes","doc":{"_id":"b1","action":"dump"}}""").get(0);
        assertThat(Jobs.awaitFinal(api, domain, token, jobId).path("state").asString())
                .isEqualTo("done");

        JsonNode report = Api.JSON.readTree(stack.requests().get(0).body());
        assertThat(report.path("pid").asInt()).as("a PID namespace of its own").isLessThan(10);
        assertThat(alive(waiting))
                .as("the bwrap process that waited has ended with its job")
                .isFalse();
        assertThat(report.path("files").toString()).isEqualTo("[\"index.js\"]");
    }

    @Test
    void should_wait_inside_its_sandbox_on_a_fifo_of_its_own() {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> StandbyServiceRunTest.waitingDirectories(exec).stream()
                        .anyMatch(dir -> StandbyServiceRunTest.isFifo(dir.resolve(StandbyProcess.WAKE))));
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
