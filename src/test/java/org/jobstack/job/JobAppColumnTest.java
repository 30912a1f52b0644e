package org.jobstack.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jobstack.common.Sql;
import org.jobstack.support.Databases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Migration 13 on a database that already holds jobs: each job's app is read from its message
 * (service slug, konnector slug, none for other workers or unreadable messages), on H2 and on
 * PostgreSQL; and new jobs get theirs when stored.
 */
class JobAppColumnTest {

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void should_fill_the_app_of_the_jobs_stored_before_it(String database) {
        DataSource ds = new DriverManagerDataSource(
                database.equals("h2")
                        ? "jdbc:h2:mem:app-column-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1"
                        : Databases.newPostgresDatabase(),
                database.equals("h2") ? "sa" : "postgres",
                database.equals("h2") ? "" : "postgres");
        flyway(ds, "12").migrate();
        JdbcClient jdbc = JdbcClient.create(ds);
        jdbc.sql("INSERT INTO instance (domain, locale, stack_url, token_secret, created_at, updated_at)"
                        + " VALUES ('a.test', 'en', 'http://a.test/', 'x', ?, ?)")
                .params(Sql.ts(Instant.EPOCH), Sql.ts(Instant.EPOCH))
                .update();
        Map<String, String[]> jobs = Map.of(
                "s", new String[] {"service", "{\"slug\":\"banks\",\"name\":\"onOperation\"}"},
                "k", new String[] {"konnector", "{\"konnector\":\"ameli\",\"account\":\"1\"}"},
                "l", new String[] {"log", "{\"slug\":\"not-an-app\"}"},
                "b", new String[] {"service", "{not json"},
                "n", new String[] {"service", "{\"slug\":42}"});
        jobs.forEach((id, job) -> jdbc.sql("""
                        INSERT INTO job (id, domain, worker, message, manual, debounced, state, attempts, queued_at,
                            run_at, sort_at) VALUES (?, 'a.test', ?, ?, FALSE, FALSE, 'done', 1, ?, ?, ?)""")
                .params(id, job[0], job[1], Sql.ts(Instant.EPOCH), Sql.ts(Instant.EPOCH), Sql.ts(Instant.EPOCH))
                .update());

        flyway(ds, "latest").migrate();

        Map<String, String> apps = new HashMap<>();
        jdbc.sql("SELECT id, app FROM job").query(rs -> {
            apps.put(rs.getString("id"), rs.getString("app"));
        });
        assertThat(apps).containsEntry("s", "banks").containsEntry("k", "ameli");
        assertThat(apps.get("l")).isNull();
        assertThat(apps.get("b")).isNull();
        assertThat(apps.get("n")).isNull();
    }

    private static Flyway flyway(DataSource ds, String target) {
        return Flyway.configure()
                .dataSource(ds)
                .locations("classpath:db/migration")
                .javaMigrations(new JobAppColumn())
                .target(target)
                .load();
    }
}
