package org.jobstack.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jobstack.support.FakeStack;
import org.jobstack.support.IntegrationTest;
import org.jobstack.support.Jobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Services that misbehave: those that hit the per-job limits set through the process wrapper, one
 * that closes its output and keeps running, one node cannot start. Each job ends errored with a
 * reason a person understands; the node goes on.
 */
@TestPropertySource(
        properties = {
            "jobstack.exec.limits.memory=1GB",
            "jobstack.exec.limits.cpu-time=5s", // room for the 2 GiB writer below on a busy machine
            "jobstack.exec.limits.open-files=256",
            "jobstack.exec.limits.processes=64"
        })
class HostileServicesTest extends IntegrationTest {

    private static final Path HOSTILE =
            Path.of("src/test/resources/apps/hostile").toAbsolutePath();

    @Autowired
    ProcessCgroups cgroups;

    FakeStack stack;
    String domain;
    String token;

    @BeforeEach
    void install() throws Exception {
        stack = new FakeStack();
        domain = "hostile-" + System.nanoTime() + ".test";
        token = api.instanceWithApp(domain, stack.url(), "hostile", HOSTILE);
    }

    @AfterEach
    void stop() {
        stack.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            hog   | out of memory (jobstack.exec.limits.memory): signal: aborted
            spin  | signal: CPU time limit exceeded (jobstack.exec.limits.cpu-time)
            files | too many open files (jobstack.exec.limits.open-files): exit status 1
            """)
    void should_end_a_service_that_exhausts_a_limit_errored_with_the_reason(String service, String reason) {
        JsonNode job = run(service, "{\"max_exec_count\":1}");

        assertThat(job.path("state").asString()).isEqualTo("errored");
        assertThat(job.path("error").asString()).isEqualTo(reason);
        assertThat(api.plainGet("/actuator/health").status()).isEqualTo(200);
    }

    @Test
    void should_refuse_a_service_more_processes_than_its_limit_and_kill_those_that_left_its_group() throws Exception {
        assumeTrue(cgroups.enabled(), "a writable pids cgroup is needed (cgroup v1 pids, or delegated v2)");

        String id = queue("forks", "{\"max_exec_count\":1}");
        JsonNode job = Jobs.awaitFinal(api, domain, token, id);

        assertThat(job.path("state").asString()).isEqualTo("errored");
        assertThat(job.path("error").asString())
                .isEqualTo("too many processes (jobstack.exec.limits.processes): exit status 1");
        // Without Jobstack's kill they would sleep 300 s; given a few seconds to be gone after the outcome.
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        List<String> left = sleepers(id);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            left = sleepers(id);
        }
        assertThat(left)
                .as("the children it started in sessions of their own are killed with it")
                .isEmpty();
    }

    @Test
    void should_hold_only_the_services_own_process_in_its_pids_cgroup() {
        assumeTrue(cgroups.enabled(), "a writable pids cgroup is needed (cgroup v1 pids, or delegated v2)");

        String id = queue("census", "{\"max_exec_count\":1}");
        JsonNode job = Jobs.awaitFinal(api, domain, token, id);

        assertThat(job.path("state").asString()).as(job.toString()).isEqualTo("done");
        List<String> lines = Jobs.logMessages(api, domain, token, id);
        String census = lines.stream()
                .filter(l -> l.startsWith("info: census "))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no census line in " + lines));
        String[] pidAndMembers = census.substring("info: census ".length()).split(" ");
        assertThat(pidAndMembers[1].split(","))
                .as("the wrapper's watcher is forked before the cgroup is entered, so it is not counted")
                .containsExactly(pidAndMembers[0]);
    }

    /**
     * Processes running "sleep 300" that forks.js started for this job (they inherit its
     * COZY_JOB_ID; a full-suite run once counted a "sleep 300" of someone else's on the machine),
     * with their cgroups (to tell a failure apart).
     */
    private static List<String> sleepers(String jobId) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").endsWith("sleep 300"))
                .filter(p -> environment(p.pid()).contains("COZY_JOB_ID=" + jobId + "\0"))
                .map(p -> p.pid() + " " + cgroupOf(p.pid()))
                .toList();
    }

    /** The process's environment as the kernel keeps it (NUL-separated), or "" once it is gone. */
    private static String environment(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/environ")), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String cgroupOf(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/cgroup")).replace('\n', ' ');
        } catch (IOException e) {
            return "(gone)";
        }
    }

    @Test
    void should_end_at_its_time_limit_a_service_that_closes_its_output_and_keeps_running() {
        JsonNode job = run("mute", "{\"max_exec_count\":1,\"timeout\":2}");

        assertThat(job.path("state").asString()).isEqualTo("errored");
        assertThat(job.path("error").asString()).startsWith("context deadline exceeded");
    }

    @Test
    void should_read_gigabytes_of_output_to_the_end_keeping_only_the_log_limit() {
        String id = queue("gigabytes", "{\"max_exec_count\":1,\"timeout\":120}");
        JsonNode job = Jobs.awaitFinal(api, domain, token, id, Duration.ofMinutes(2));

        assertThat(job.path("state").asString()).as(job.toString()).isEqualTo("done");
        List<String> lines = Jobs.logMessages(api, domain, token, id, 10_000);
        assertThat(lines.stream().mapToLong(String::length).sum()).isLessThan(1_048_576 + 10_000);
        String warning = lines.stream()
                .filter(l -> l.contains("log limit of"))
                .findFirst()
                .orElseThrow();
        Matcher dropped = Pattern.compile("log limit of 1048576 bytes reached: (\\d+) lines \\((\\d+) bytes")
                .matcher(warning);
        assertThat(dropped.find()).as(warning).isTrue();
        long kept = lines.stream().filter(l -> l.endsWith("zzz")).count();
        assertThat(Long.parseLong(dropped.group(1)) + kept)
                .as("every line was read to the end of the output (%d kept of %d log lines)", kept, lines.size())
                .isEqualTo(2L * 1024 * 1024);
        assertThat(api.plainGet("/actuator/health").status()).isEqualTo(200);
    }

    @Test
    void should_end_a_service_node_cannot_start_with_its_error_in_the_logs() {
        String id = queue("broken", "{\"max_exec_count\":1}");
        JsonNode job = Jobs.awaitFinal(api, domain, token, id);

        assertThat(job.path("state").asString()).isEqualTo("errored");
        assertThat(job.path("error").asString()).isEqualTo("exit status 1");
        assertThat(Jobs.logMessages(api, domain, token, id)).anyMatch(line -> line.contains("SyntaxError"));
    }

    private JsonNode run(String service, String options) {
        return Jobs.awaitFinal(api, domain, token, queue(service, options));
    }

    private String queue(String service, String options) {
        return api.call(
                        domain,
                        token,
                        "POST",
                        "/jobs/queue/service",
                        "{\"data\":{\"attributes\":{\"arguments\":{\"slug\":\"hostile\",\"name\":\"" + service
                                + "\"},\"options\":" + options + "}}}")
                .json()
                .path("data")
                .path("id")
                .asString();
    }
}
