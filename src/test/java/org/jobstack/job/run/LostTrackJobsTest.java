package org.jobstack.job.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.jobstack.job.AttemptRecord;
import org.jobstack.job.AttemptStore;
import org.jobstack.node.NodeIdentity;
import org.jobstack.node.WorkerPauses;
import org.jobstack.support.IntegrationTest;
import org.jobstack.support.Jobs;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * A job the database says runs on this live node while the node does not know it: a claim whose
 * commit reached the database while the connection was cut, or an outcome given up. Its lease
 * would never expire, so the node itself must take it back.
 */
class LostTrackJobsTest extends IntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    WorkerPauses pauses;

    @Autowired
    NodeIdentity node;

    @Autowired
    AttemptStore attempts;

    @Test
    void should_end_a_job_leased_to_this_node_that_it_does_not_run_with_the_reason() {
        String domain = api.newInstance(null);
        String token = api.cliToken(domain, "io.cozy.jobs");
        pauses.pause("log", "test");
        String id;
        try {
            id = api.call(domain, token, "POST", "/jobs/queue/log", "{\"data\":{\"attributes\":{\"arguments\":{}}}}")
                    .json()
                    .path("data")
                    .path("id")
                    .asString();
            int claimed = jdbc.sql("UPDATE job SET state = 'running', attempts = attempts + 1, lease_owner = ?,"
                            + " started_at = CURRENT_TIMESTAMP WHERE id = ? AND state = 'queued'")
                    .params(node.id(), id)
                    .update();
            assertThat(claimed).as("the claim the node never learned of").isEqualTo(1);
        } finally {
            pauses.resume("log");
        }

        JsonNode job = Jobs.awaitFinal(api, domain, token, id);

        assertThat(job.path("state").asString())
                .as("the log worker has one attempt per job: the lost one")
                .isEqualTo("errored");
        assertThat(job.path("error").asString()).contains("lost track of the job");
        AttemptRecord lost = attempts.of(id).get(0);
        assertThat(lost.outcome()).isEqualTo("errored");
        assertThat(lost.node()).isEqualTo(node.id());
    }
}
