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
    private static EmbeddedPostgres durable;

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

    /**
     * The JDBC URL of a new, empty PostgreSQL database (user and password {@code postgres}), in a
     * PostgreSQL that, like every embedded one by default, does not wait for the WAL's flush at
     * commit ({@code synchronous_commit=off}): fine for tests, not what a user's server does.
     */
    public static synchronized String newPostgresDatabase() {
        try {
            if (postgres == null) {
                postgres = EmbeddedPostgres.builder().start();
            }
            return newDatabase(postgres);
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("cannot start PostgreSQL: " + e.getMessage(), e);
        }
    }

    /**
     * The same in a PostgreSQL that commits as a default installation does ({@code fsync}, {@code
     * synchronous_commit} and {@code full_page_writes} on): each commit waits until its WAL is on
     * the disk. For benchmarks, which measure what a user's database would do.
     */
    public static synchronized String newDurablePostgresDatabase() {
        try {
            if (durable == null) {
                durable = EmbeddedPostgres.builder()
                        .setServerConfig("fsync", "on")
                        .setServerConfig("synchronous_commit", "on")
                        .setServerConfig("full_page_writes", "on")
                        .start();
            }
            return newDatabase(durable);
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("cannot start PostgreSQL: " + e.getMessage(), e);
        }
    }

    private static String newDatabase(EmbeddedPostgres server) throws SQLException {
        String name = "db" + COUNTER.incrementAndGet();
        try (Connection c = server.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return server.getJdbcUrl("postgres", name);
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
