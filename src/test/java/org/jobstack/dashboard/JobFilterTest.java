package org.jobstack.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.jobstack.job.JobSearch;
import org.jobstack.job.JobState;
import org.junit.jupiter.api.Test;

class JobFilterTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    @Test
    void should_search_everything_for_blank_filters() {
        assertThat(new JobFilter(" ", "", null, "", "  ", "").search(NOW)).contains(JobSearch.ANY);
    }

    @Test
    void should_search_every_value_given_stripped() {
        assertThat(new JobFilter("errored", "service", " a.test", "t1", " my_app% ", "1h").search(NOW))
                .contains(
                        new JobSearch(JobState.ERRORED, "service", "a.test", "t1", "my_app%", NOW.minusSeconds(3600)));
    }

    @Test
    void should_ignore_a_period_it_does_not_offer() {
        assertThat(new JobFilter(null, null, null, null, null, "1y; DROP TABLE job").search(NOW))
                .contains(JobSearch.ANY);
    }

    @Test
    void should_match_nothing_for_an_unknown_state() {
        assertThat(new JobFilter("exploded", null, null, null, null, null).search(NOW))
                .isEmpty();
    }
}
