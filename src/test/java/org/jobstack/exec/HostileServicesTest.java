package org.jobstack.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.jobstack.support.FakeStack;
import org.jobstack.support.IntegrationTest;
import org.jobstack.support.Jobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Services that misbehave hit the per-job limits set through the process wrapper, and their job
 * ends errored with a reason a person understands; the node goes on.
 */
@TestPropertySource(
        properties = {
            "jobstack.exec.limits.memory=1GB",
            "jobstack.exec.limits.cpu-time=2s",
            "jobstack.exec.limits.open-files=256"
        })
class HostileServicesTest extends IntegrationTest {

    private static final Path HOSTILE =
            Path.of("src/test/resources/apps/hostile").toAbsolutePath();

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
        String id = api.call(
                        domain,
                        token,
                        "POST",
                        "/jobs/queue/service",
                        "{\"data\":{\"attributes\":{\"arguments\":{\"slug\":\"hostile\",\"name\":\"" + service
                                + "\"},\"options\":{\"max_exec_count\":1}}}}")
                .json()
                .path("data")
                .path("id")
                .asString();

        JsonNode job = Jobs.awaitFinal(api, domain, token, id);

        assertThat(job.path("state").asString()).isEqualTo("errored");
        assertThat(job.path("error").asString()).isEqualTo(reason);
        assertThat(api.plainGet("/actuator/health").status()).isEqualTo(200);
    }
}
