package org.jobstack.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jobstack.support.Api;
import org.jobstack.support.CozyRealtimeClient;
import org.jobstack.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The client cozy apps use, {@code cozy-realtime} from npm, against this server's {@code /realtime/}. */
class CozyRealtimeClientTest extends IntegrationTest {

    @Test
    void should_show_the_cozy_realtime_client_a_job_queued_running_and_done_in_that_order() throws Exception {
        String domain = api.newInstance(null);
        String token = api.cliToken(domain, "io.cozy.jobs");
        try (CozyRealtimeClient client = CozyRealtimeClient.watch(port, domain, token, "io.cozy.jobs")) {
            Api.Response queued = api.call(
                    domain,
                    token,
                    "POST",
                    "/jobs/queue/log",
                    "{\"data\":{\"attributes\":{\"arguments\":{\"message\":\"hello\"}}}}");
            assertThat(queued.status()).as(queued.body()).isEqualTo(202);
            String job = queued.json().path("data").path("id").asString();

            List<String> seen = new ArrayList<>();
            while (!seen.contains("UPDATED done")) {
                JsonNode event = client.next(Duration.ofSeconds(10));
                assertThat(event).as("events so far: %s", seen).isNotNull();
                assertThat(event.path("doc").path("_id").asString()).isEqualTo(job);
                assertThat(event.path("doc").path("_type").asString()).isEqualTo("io.cozy.jobs");
                assertThat(event.path("doc").path("worker").asString()).isEqualTo("log");
                seen.add(event.path("event").asString() + " "
                        + event.path("doc").path("state").asString());
            }
            assertThat(seen).containsExactly("CREATED queued", "UPDATED running", "UPDATED done");
        }
    }
}
