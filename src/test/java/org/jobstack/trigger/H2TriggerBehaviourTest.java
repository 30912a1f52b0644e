package org.jobstack.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jobstack.common.Database;
import org.jobstack.common.Sql;
import org.junit.jupiter.api.Test;

class H2TriggerBehaviourTest extends AbstractTriggerBehaviourTest {

    private static final Pattern SCANNED = Pattern.compile("scanCount: (\\d+)");

    /**
     * H2 sorted the triggers without a next run (@event, @webhook, @client) first in job_trigger_due
     * and walked them all at every poll of the scheduler. PostgreSQL's index sorts them last.
     */
    @Test
    void should_poll_due_triggers_without_reading_the_unscheduled_ones() {
        Instant now = clock.instant();
        jdbc.sql("""
                INSERT INTO job_trigger (id, domain, type, worker, arguments, debounce, created_at, updated_at)
                SELECT 'unscheduled' || X, :domain, '@event', 'log', 'io.cozy.unscheduled', '', :now, :now
                FROM SYSTEM_RANGE(1, 2000)""").param("domain", domain).param("now", Sql.ts(now)).update();
        try {
            // what other tests of this database left due, or paused with a next run, is read as it should be
            long dueElsewhere = count("next_run_at <= ? AND paused = FALSE", now);
            long pausedElsewhere = count("next_run_at IS NOT NULL AND paused", null);
            String due =
                    Database.keysOf(TriggerLocksImpl.DUE).replace(":now", "?").replace(":limit", "100");
            assertThat(scanned(due, now))
                    .as("rows read to find the due triggers")
                    .isLessThanOrEqualTo(Math.min(dueElsewhere, 100) + 1);
            assertThat(scanned(TriggerLocksImpl.NEXT_RUN))
                    .as("rows read to find the next run")
                    .isLessThanOrEqualTo(pausedElsewhere + 1);
        } finally {
            jdbc.sql("DELETE FROM job_trigger WHERE domain = ? AND id LIKE 'unscheduled%'")
                    .param(domain)
                    .update();
        }
    }

    private long count(String where, Instant at) {
        return jdbc.sql("SELECT COUNT(*) FROM job_trigger WHERE " + where)
                .params(at == null ? List.of() : List.of(Sql.ts(at)))
                .query(Long.class)
                .single();
    }

    private long scanned(String sql, Object... params) {
        String plan = jdbc.sql("EXPLAIN ANALYZE " + sql)
                .params(Arrays.stream(params)
                        .map(p -> p instanceof Instant i ? Sql.ts(i) : p)
                        .toList())
                .query(String.class)
                .single();
        Matcher m = SCANNED.matcher(plan);
        assertThat(m.find()).as(plan).isTrue();
        return Long.parseLong(m.group(1));
    }
}
