package org.jobstack.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jobstack.job.JobAppColumn;
import org.jobstack.job.LiveJobsIndex;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** Fresh, migrated databases for compatibility tests: H2 in memory, or a real PostgreSQL. */
public final class Databases {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    private Databases() {}

    public static DataSource h2() {
        DriverManagerDataSource ds = new DriverManagerDataSource(
                "jdbc:h2:mem:compat" + COUNTER.incrementAndGet() + ";DB_CLOSE_DELAY=-1", "sa", "");
        return migrated(ds);
    }

    /** A new, migrated database in a PostgreSQL started once per test JVM (embedded binaries, no install). */
    public static DataSource postgres() {
        return migrated(new DriverManagerDataSource(newPostgresDatabase(), "postgres", "postgres"));
    }

    /** The JDBC URL of a new, empty PostgreSQL database (user and password {@code postgres}). */
    public static synchronized String newPostgresDatabase() {
        try {
            if (postgres == null) {
                postgres = EmbeddedPostgres.builder().start();
            }
            String name = "db" + COUNTER.incrementAndGet();
            try (Connection c = postgres.getPostgresDatabase().getConnection();
                    Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name);
            }
            return postgres.getJdbcUrl("postgres", name);
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("cannot start PostgreSQL: " + e.getMessage(), e);
        }
    }

    private static DataSource migrated(DataSource ds) {
        Flyway.configure()
                .dataSource(ds)
                .locations("classpath:db/migration")
                .javaMigrations(new JobAppColumn(), new LiveJobsIndex())
                .load()
                .migrate();
        return ds;
    }
}
