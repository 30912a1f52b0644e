package org.jobstack.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.sql.SQLException;
import org.hibernate.TransactionException;
import org.jobstack.common.DatabaseFailures;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.orm.jpa.JpaSystemException;

class DatabaseUnavailableTest {

    @Test
    void should_take_a_failed_rollback_on_a_closed_connection_for_the_database_being_away() {
        RuntimeException failure = new JpaSystemException(new TransactionException(
                "Unable to rollback against JDBC Connection", new SQLException("Connection is closed")));

        assertThat(DatabaseFailures.unavailable(failure)).isTrue();
        assertThat(DatabaseUnavailable.response(failure)
                        .getBody()
                        .errors()
                        .get(0)
                        .detail())
                .isEqualTo(DatabaseUnavailable.DETAIL);
    }

    @Test
    void should_say_the_database_cannot_write_when_a_write_to_its_files_failed() {
        RuntimeException failure = new UncategorizedSQLException(
                "COMMIT",
                "COMMIT",
                new SQLException("General error", "HY000", 50000, new IOException("No space left on device")));

        assertThat(DatabaseFailures.unavailable(failure)).isTrue();
        assertThat(DatabaseUnavailable.response(failure)
                        .getBody()
                        .errors()
                        .get(0)
                        .detail())
                .isEqualTo(DatabaseUnavailable.CANNOT_WRITE);
    }

    @Test
    void should_not_blame_the_disk_for_a_broken_connection() {
        RuntimeException failure = new UncategorizedSQLException(
                "SELECT",
                "SELECT",
                new SQLException(
                        "An I/O error occurred while sending to the backend", "08006", new IOException("reset")));

        assertThat(DatabaseFailures.unavailable(failure)).isTrue();
        assertThat(DatabaseUnavailable.response(failure)
                        .getBody()
                        .errors()
                        .get(0)
                        .detail())
                .isEqualTo(DatabaseUnavailable.DETAIL);
    }

    @Test
    void should_leave_other_failures_to_the_500_handler() {
        assertThat(DatabaseFailures.unavailable(
                        new IllegalStateException("a bug", new IOException("not the database"))))
                .isFalse();
        assertThat(DatabaseFailures.unavailable(
                        new UncategorizedSQLException("x", "SELECT", new SQLException("syntax error", "42601"))))
                .isFalse();
    }
}
