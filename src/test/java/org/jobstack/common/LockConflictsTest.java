package org.jobstack.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.UncategorizedSQLException;

class LockConflictsTest {

    @Test
    void should_run_a_transaction_again_after_a_deadlock_until_it_commits() {
        AtomicInteger runs = new AtomicInteger();

        String result = LockConflicts.retry(5, () -> {
            if (runs.incrementAndGet() < 3) {
                throw new CannotAcquireLockException("Deadlock detected");
            }
            return "committed";
        });

        assertThat(result).isEqualTo("committed");
        assertThat(runs).hasValue(3);
    }

    @Test
    void should_give_up_after_the_attempts_with_the_last_conflict() {
        AtomicInteger runs = new AtomicInteger();

        assertThatThrownBy(() -> LockConflicts.retry(4, () -> {
                    runs.incrementAndGet();
                    throw new CannotAcquireLockException("Deadlock detected " + runs.get());
                }))
                .isInstanceOf(CannotAcquireLockException.class)
                .hasMessage("Deadlock detected 4");
        assertThat(runs).hasValue(4);
    }

    @Test
    void should_not_run_again_a_transaction_that_failed_for_another_reason() {
        AtomicInteger runs = new AtomicInteger();

        assertThatThrownBy(() -> LockConflicts.retry(5, () -> {
                    runs.incrementAndGet();
                    throw new DataIntegrityViolationException("duplicate key");
                }))
                .isInstanceOf(DataIntegrityViolationException.class);
        assertThat(runs).hasValue(1);
    }

    @Test
    void should_recognise_a_deadlock_by_its_sql_state_under_any_wrapper() {
        SQLException postgres = new SQLException("deadlock detected", "40P01");
        SQLException other = new SQLException("syntax error", "42601");

        assertThat(LockConflicts.causedBy(new IllegalStateException(new UncategorizedSQLException("x", "s", postgres))))
                .isTrue();
        assertThat(LockConflicts.causedBy(new UncategorizedSQLException("x", "s", other)))
                .isFalse();
    }
}
