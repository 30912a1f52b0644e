package org.jobstack.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.util.Map;
import org.jobstack.support.TestProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Operators' mistakes at start-up, each told in its own words. */
class StartupFailureTest {

    @TempDir
    Path dir;

    @Test
    void should_refuse_a_data_directory_others_may_read_unless_allowed() throws Exception {
        Path open = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));

        assertThatThrownBy(() -> new DataDirectory(properties(open, false)))
                .isInstanceOf(StartupRefusal.class)
                .hasMessageContaining("can be read by other users (rwxr-xr-x)")
                .extracting(e -> ((StartupRefusal) e).action())
                .asString()
                .startsWith("Run: chmod 700 " + open);
        assertThat(new DataDirectory(properties(open, true)).root()).isEqualTo(open);
    }

    @Test
    void should_say_in_one_line_that_another_server_holds_the_h2_database() {
        SQLException locked = new SQLException(
                "Database may be already in use: \"/srv/data/jobstack.mv.db\". Possible solutions: close all other"
                        + " connection(s); use the server mode [90020-240]\nmore lines",
                "90020",
                DatabaseInUseAnalyzer.H2_DATABASE_ALREADY_OPEN);
        BeanCreationException failure =
                new BeanCreationException("entityManagerFactory", "Failed to initialize", new RuntimeException(locked));

        FailureAnalysis analysis = new DatabaseInUseAnalyzer().analyze(failure);

        assertThat(analysis.getDescription())
                .startsWith("The database is in use by another process, most likely another Jobstack server")
                .contains("/srv/data/jobstack.mv.db")
                .doesNotContain("\n");
        assertThat(analysis.getAction()).contains("--jobstack.data-dir");
        assertThat(new DatabaseInUseAnalyzer()
                        .analyze(new RuntimeException(new SQLException("syntax error", "42000", 42000))))
                .as("other SQL failures are left to the other analyzers")
                .isNull();
    }

    private static JobstackProperties properties(Path dataDir, boolean allowOpen) {
        return TestProperties.of(Map.of(
                "jobstack.data-dir", dataDir.toString(), "jobstack.allow-open-data-dir", String.valueOf(allowOpen)));
    }
}
