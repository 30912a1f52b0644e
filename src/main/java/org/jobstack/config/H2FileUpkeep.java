package org.jobstack.config;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.ToDoubleFunction;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.jobstack.common.BackgroundLoop;
import org.jobstack.common.Phases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Keeps an embedded H2 file flushed and from growing without bound. H2 writes each commit as a
 * chunk (about 30 KB for a job's commit) and reuses a chunk's space once every page in it is dead
 * and the chunk is older than its retention time, 45 s by default, the time H2 assumes the
 * operating system takes to flush its writes. Pages that stay live (a full leaf of finished jobs,
 * an index page nobody changes again) pin their chunk for ever unless they are rewritten
 * elsewhere, which is the work of H2's background writer; that writer does not run with {@code
 * WRITE_DELAY=0}, the setting that writes every commit before it returns, which the durable queue
 * needs. Without this, 40 000 jobs queued over HTTP grew the file to 1.25 GB for about 50 MB of
 * data (docs/benchmarks.md).
 *
 * <p>Every {@code jobstack.h2.upkeep-interval} this flushes the file to the disk ({@code fsync}),
 * which lets H2 reuse dead chunks after {@code chunk-retention} instead of 45 s, as H2's own
 * documentation of its retention time allows when buffers are flushed earlier; and when the file's
 * chunks are on average less than {@code compaction-fill-rate} percent live, it rewrites the live
 * pages of the emptiest ones (at most {@code compaction-write} of chunks per pass; the live part, what
 * is written again, is a few percent of it). The file then levels off at a size set by the rate of
 * commits rather than by its history (a few hundred MB under the heaviest load this machine
 * takes, most of it dead chunks waiting for their retention), and keeps that size for later
 * writes: H2 gives space back only at the end of the file. Nothing happens on
 * PostgreSQL, an in-memory H2 or an H2 server.
 */
@Component
class H2FileUpkeep implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(H2FileUpkeep.class);
    /** After a failed pass (a full disk, say: H2 closes the database), so as not to log it every second. */
    private static final Duration ERROR_WAIT = Duration.ofSeconds(30);

    private final DataSource dataSource;
    private final JobstackProperties.H2 settings;
    private final BackgroundLoop loop;
    private final MeterRegistry meters;
    private volatile MVStore store;

    @Autowired
    H2FileUpkeep(DataSource dataSource, JobstackProperties properties, MeterRegistry meters) {
        this(dataSource, properties.h2(), meters);
    }

    H2FileUpkeep(DataSource dataSource, JobstackProperties.H2 settings, MeterRegistry meters) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.meters = meters;
        this.loop = BackgroundLoop.of("h2-upkeep", ERROR_WAIT, "Upkeep of the H2 file failed", this::pass)
                .withLastPass(this::lastFlush);
    }

    /** Flushes the file to the disk; false without an H2 file. */
    boolean flush() throws SQLException {
        MVStore mvStore = store();
        if (mvStore != null) {
            mvStore.sync();
        }
        return mvStore != null;
    }

    /**
     * Rewrites the live pages of the emptiest chunks if the chunks are on average less live than
     * the setting; whether anything was rewritten.
     */
    boolean compact() throws SQLException {
        MVStore mvStore = store();
        return mvStore != null
                && mvStore.compact(settings.compactionFillRate(), (int)
                        Math.min(Integer.MAX_VALUE, settings.compactionWrite().toBytes()));
    }

    private Duration pass() throws SQLException {
        if (flush()) {
            compact();
        }
        return settings.upkeepInterval();
    }

    private void lastFlush() {
        try {
            flush();
        } catch (SQLException | RuntimeException e) {
            log.atWarn().setCause(e).log("Could not flush the H2 file at shutdown");
        }
    }

    /** The store of the H2 file, found again when H2 reopened it (after a failed write, say). */
    private synchronized MVStore store() throws SQLException {
        if (store != null && !store.isClosed()) {
            return store;
        }
        store = null;
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.isWrapperFor(JdbcConnection.class)
                    || !(connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session)) {
                return null;
            }
            MVStore found = session.getDatabase().getStore().getMvStore();
            if (found.getFileStore() == null) {
                return null;
            }
            found.setRetentionTime(retentionMillis());
            store = found;
            return store;
        }
    }

    /** The chunk retention, never under three upkeep intervals (each of which flushes). */
    int retentionMillis() {
        long floor = 3 * settings.upkeepInterval().toMillis();
        return (int) Math.min(
                Integer.MAX_VALUE, Math.max(floor, settings.chunkRetention().toMillis()));
    }

    @Override
    public void start() {
        if (settings.upkeepInterval().isZero() || settings.upkeepInterval().isNegative()) {
            return;
        }
        try {
            if (store() == null) {
                return;
            }
        } catch (SQLException | RuntimeException e) {
            log.atWarn().setCause(e).log("The H2 file will not be kept: its store could not be reached");
            return;
        }
        registerGauges();
        loop.startAfter(settings.upkeepInterval());
    }

    private void registerGauges() {
        gauge(
                "jobstack.h2.file.size",
                "Size of the H2 file",
                "bytes",
                m -> m.getFileStore().size());
        gauge(
                "jobstack.h2.file.used",
                "Share of the H2 file held by chunks, live or awaiting their retention",
                null,
                m -> m.getFillRate() / 100.0);
        gauge(
                "jobstack.h2.chunks.live",
                "Share of the H2 chunks' content still live (compaction raises it)",
                null,
                m -> m.getFileStore().getChunksFillRate() / 100.0);
    }

    private void gauge(String name, String description, String unit, ToDoubleFunction<MVStore> figure) {
        Gauge.builder(name, this, upkeep -> upkeep.measure(figure))
                .description(description)
                .baseUnit(unit)
                .register(meters);
    }

    private double measure(ToDoubleFunction<MVStore> figure) {
        MVStore mvStore = store;
        return mvStore == null || mvStore.isClosed() ? Double.NaN : figure.applyAsDouble(mvStore);
    }

    @Override
    public void stop() {
        loop.stop(Duration.ofSeconds(5));
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }

    @Override
    public int getPhase() {
        return Phases.H2_UPKEEP;
    }
}
