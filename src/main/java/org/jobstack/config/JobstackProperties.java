package org.jobstack.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Every {@code jobstack.*} setting. Defaults live here and are documented, one line each, in
 * {@code config/application.yml}.
 */
@ConfigurationProperties("jobstack")
public record JobstackProperties(
        @DefaultValue("./data") Path dataDir,
        @DefaultValue("false") boolean allowOpenDataDir,
        @DefaultValue Admin admin,
        @DefaultValue Instances instances,
        @DefaultValue Node node,
        @DefaultValue Jobs jobs,
        @DefaultValue Triggers triggers,
        @DefaultValue Exec exec,
        @DefaultValue Limits limits,
        @DefaultValue Cluster cluster,
        @DefaultValue Realtime realtime,
        @DefaultValue Secrets secrets,
        @DefaultValue Apps apps,
        @DefaultValue H2 h2,
        @DefaultValue Memory memory,
        @DefaultValue Jit jit) {

    public record Admin(
            @DefaultValue("6060") int port,
            @DefaultValue("127.0.0.1") String address,
            String passphrase) {}

    public record Instances(
            @DefaultValue("localhost") String defaultDomain,
            @DefaultValue("en") String defaultLocale,
            String defaultStackUrl,
            @DefaultValue("30m") Duration cliTokenTtl) {}

    public record Node(
            String id,
            @DefaultValue("2s") Duration heartbeatInterval,
            @DefaultValue("20s") Duration leaseTimeout) {}

    public record Jobs(
            @DefaultValue("1s") Duration pollInterval,
            @DefaultValue("1s") Duration retryBaseDelay,
            @DefaultValue("5m") Duration retryMaxDelay,
            @DefaultValue("30s") Duration shutdownGrace,
            @DefaultValue Retention retention,
            Map<String, WorkerSettings> workers,
            Map<String, Integer> rateLimits) {}

    /**
     * How long jobs are kept once finished ({@code 0}: forever), and how the purge goes: at most
     * {@code batchSize} jobs per transaction, a new walk over the old jobs every {@code interval},
     * busy at most {@code timeShare} of the time while it walks.
     */
    public record Retention(
            @DefaultValue("30d") Duration done,
            @DefaultValue("90d") Duration errored,
            @DefaultValue("500") int batchSize,
            @DefaultValue("10m") Duration interval,
            @DefaultValue("0.1") double timeShare) {}

    /** A worker's own retention; a null keeps the general one. */
    public record WorkerRetention(Duration done, Duration errored) {}

    /**
     * {@code timeZone}: where cron and periodic schedules without a {@code TZ=} prefix are
     * evaluated. {@code eventLockWait}: how long a batch of events waits for the batches of its
     * instance ahead of it (or a trigger's lock) before it is answered 503; under the PostgreSQL
     * driver's 15 s socket timeout.
     */
    public record Triggers(
            @DefaultValue("UTC") ZoneId timeZone,
            @DefaultValue("10s") Duration eventLockWait) {}

    /** Per-worker overrides; a null field keeps the built-in default of that worker. */
    public record WorkerSettings(
            Integer concurrency,
            Integer maxExecCount,
            Duration timeout,
            Boolean enabled,
            Integer prefetch,
            Boolean reserved,
            Integer clusterConcurrency,
            Integer standby,
            WorkerRetention retention) {}

    public record Exec(
            @DefaultValue("node") String command,
            List<String> path,
            Path tmpDir,
            Map<String, String> extraEnv,
            @DefaultValue("5s") Duration killGrace,
            @DefaultValue("4000") int messageLimit,
            @DefaultValue("65536") int lineLimit,
            @DefaultValue("262144") int stderrLimit,
            @DefaultValue("1048576") int logLimit,
            @DefaultValue ChildLimits limits,
            @DefaultValue("25ms") Duration standbyRefillDelay) {}

    /**
     * Resource limits of each child process, set by the shell that starts it (so they need {@code
     * setsid} and {@code /bin/sh}, as the watchdog does): {@code memory} is its private writable
     * memory ({@code ulimit -d}), {@code cpuTime} its CPU seconds, {@code openFiles} its file
     * descriptors; {@code processes} the processes and threads of the job and all it starts (a pids
     * cgroup of its own, where one can be made). Zero or unset: no limit of Jobstack's own.
     */
    public record ChildLimits(
            @DefaultValue("2GB") DataSize memory,
            Duration cpuTime,
            @DefaultValue("1024") int openFiles,
            @DefaultValue("512") int processes) {}

    /**
     * Nodes sharing a PostgreSQL database: {@code notifications} wake the other nodes at once through
     * {@code LISTEN/NOTIFY} (jobs queued, schedule and pause changes); off, they see changes at
     * their next poll.
     */
    public record Cluster(@DefaultValue("true") boolean notifications) {}

    /**
     * The realtime websocket ({@code /realtime/}): a client gets {@code authTimeout} to send its
     * {@code AUTH}; it is pinged every {@code pingInterval} and closed when it has not answered
     * for three of them; when more than {@code maxBufferedChars} wait to be sent to it, it is
     * closed; it may hold {@code maxSubscriptions} subscriptions.
     */
    public record Realtime(
            @DefaultValue("30s") Duration authTimeout,
            @DefaultValue("30s") Duration pingInterval,
            @DefaultValue("1000000") long maxBufferedChars,
            @DefaultValue("1000") int maxSubscriptions) {}

    /**
     * Sizes and counts accepted from clients; past them the answer is 413. A debounce window keeps
     * at most {@code debouncedPayloads} webhook payloads of {@code debouncedPayloadBytes} in all;
     * later ones are counted, not kept.
     */
    public record Limits(
            @DefaultValue("4MB") DataSize requestBody,
            @DefaultValue("1MB") DataSize webhookBody,
            @DefaultValue("1000") int eventsPerRequest,
            @DefaultValue("1000") int debouncedPayloads,
            @DefaultValue("4MB") DataSize debouncedPayloadBytes,
            @DefaultValue("100MB") DataSize archiveBytes,
            @DefaultValue("512MB") DataSize appBytes,
            @DefaultValue("20000") int appFiles) {}

    /**
     * The key that encrypts the secrets the database holds (base64 of 32 bytes): {@code key}, or
     * read from {@code keyFile}; neither = {@code <data-dir>/secret-key}, generated while the
     * database holds no secret. {@code previousKeys} are still read during a rotation.
     */
    public record Secrets(String key, Path keyFile, List<String> previousKeys) {}

    /**
     * The upkeep of an embedded H2 file (nothing on PostgreSQL), see {@link H2FileUpkeep}: every
     * {@code upkeepInterval} the file is flushed to the disk and, when its chunks are on average
     * less than {@code compactionFillRate} percent live, the live data of the emptiest is rewritten
     * (at most {@code compactionWrite} per pass); the space of dead chunks is reused after
     * {@code chunkRetention} (at least three intervals). A zero interval turns it all off and leaves
     * H2's own retention (45 s) and flushing to the operating system.
     */
    public record H2(
            @DefaultValue("1s") Duration upkeepInterval,
            @DefaultValue("5s") Duration chunkRetention,
            @DefaultValue("50") int compactionFillRate,
            @DefaultValue("16MB") DataSize compactionWrite) {}

    /**
     * The server's memory when idle: at most {@code maxHeapFreeRatio} percent of the heap kept free
     * after a collection (0 = the JVM's own, 70), and a collection after {@code idleGcInterval}
     * without one, on G1 (0 = none), both {@link IdleMemory}; the C library's free memory given back
     * every {@code nativeTrimInterval} ({@link NativeHeapTrim}; 0 = never).
     */
    public record Memory(
            @DefaultValue("15") int maxHeapFreeRatio,
            @DefaultValue("30s") Duration idleGcInterval,
            @DefaultValue("10s") Duration nativeTrimInterval) {}

    /**
     * When the JVM's optimizing compiler (C2) works ({@link StartupCompilation}): {@code always} (the
     * JVM's own way), {@code after-start} (once the server is ready: a start with less CPU, a little
     * less peak speed) or {@code never} (the quick compiler, C1, alone: less CPU for the JIT on a
     * small machine, much less peak speed).
     */
    public record Jit(@DefaultValue("always") OptimizingCompiler optimizingCompiler) {

        public enum OptimizingCompiler {
            AFTER_START,
            ALWAYS,
            NEVER
        }
    }

    /** Where apps come from: {@code gitSsh} for {@code git+ssh://} sources. */
    public record Apps(@DefaultValue GitSsh gitSsh) {}

    /**
     * The identity of {@code git+ssh://} sources: {@code privateKeyFile}, an unencrypted OpenSSH
     * private key (readable by the server's user only), and {@code knownHostsFile}, the host keys
     * accepted (OpenSSH {@code known_hosts} format; any other host, or a changed key, is refused).
     * Unset: {@code git+ssh://} sources are refused. Nothing of the server user's {@code ~/.ssh}, ssh
     * config or agent is used.
     */
    public record GitSsh(Path privateKeyFile, Path knownHostsFile) {}
}
