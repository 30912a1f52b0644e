package org.jobstack.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobFilterTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    @Test
    void should_add_no_condition_for_blank_filters() {
        Map<String, Object> params = new HashMap<>();

        assertThat(new JobFilter(" ", "", null, "", "  ", "").where(params, NOW)).isEmpty();
        assertThat(params).isEmpty();
    }

    @Test
    void should_bind_every_value_and_match_an_app_by_its_message_field_only() {
        Map<String, Object> params = new HashMap<>();

        String sql = new JobFilter("errored", "service", "a.test", "t1", " my_app% ", "1h").where(params, NOW);

        assertThat(sql).doesNotContain("my_app", "errored", "a.test");
        assertThat(params).containsEntry("state", "errored").containsEntry("worker", "service")
                .containsEntry("domain", "a.test").containsEntry("trigger_id", "t1")
                .containsEntry("slug", "%\"slug\":\"my\\_app\\%\"%")
                .containsEntry("konnector", "%\"konnector\":\"my\\_app\\%\"%")
                .containsEntry("since", java.sql.Timestamp.from(NOW.minusSeconds(3600)));
    }

    @Test
    void should_ignore_a_period_it_does_not_offer() {
        Map<String, Object> params = new HashMap<>();

        assertThat(new JobFilter(null, null, null, null, null, "1y; DROP TABLE job").where(params, NOW)).isEmpty();
        assertThat(params).isEmpty();
    }
}
