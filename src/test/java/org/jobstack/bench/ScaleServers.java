package org.jobstack.bench;

import java.nio.file.Path;
import java.util.List;
import javax.sql.DataSource;
import org.jobstack.support.Api;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Where {@link ScaleBench}'s servers run, and on which databases: {@link JarServers} starts each
 * from the jar in its own JVM; the smoke test hands out the server of its own JVM.
 */
interface ScaleServers {

    /** A new, empty database of that kind: {@code postgres} or {@code h2}. */
    Database database(String kind) throws Exception;

    /** Starts a server on {@code database} with these settings ({@code --name=value}), and waits until it is healthy. */
    Server start(Database database, List<String> settings) throws Exception;

    /** The words that start the CLI; a command's own words follow. */
    List<String> cli();

    /** The servers' admin passphrase. */
    String passphrase();

    /** A running server. */
    interface Server extends AutoCloseable {

        Api api();

        /** The pid of its JVM. */
        long pid();

        /** Stops it gracefully. */
        @Override
        void close() throws Exception;
    }

    /**
     * A database: {@code dataSource} reaches it from the harness, while a server runs on it when
     * {@code sharedWhileRunning} (PostgreSQL), else only between servers (H2's file is locked by the
     * server using it). {@code dataDir} is the servers' data folder when the database lives in it
     * (H2), null when each server gets a fresh one; {@code serverSettings} point a server at it.
     */
    record Database(
            String kind, DataSource dataSource, boolean sharedWhileRunning, Path dataDir, List<String> serverSettings) {

        JdbcClient jdbc() {
            return JdbcClient.create(dataSource);
        }

        long count(String sql, Object... params) {
            return jdbc().sql(sql).params(params).query(Long.class).single();
        }
    }
}
