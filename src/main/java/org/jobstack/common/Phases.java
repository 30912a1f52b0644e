package org.jobstack.common;

/**
 * The order in which the background loops start and stop. Spring starts lower phases first and
 * stops them last; all of these come after the web server has started and stop before its
 * graceful shutdown, so that requests still answer while the work winds down.
 *
 * <ol>
 *   <li>{@link #H2_UPKEEP}: flushes an embedded H2 file to the disk and compacts it. It needs only
 *       the database; it starts first and stops last, so that every write of the others is
 *       flushed within its interval.</li>
 *   <li>{@link #SIGNALS}: the wake-ups between nodes (PostgreSQL {@code LISTEN/NOTIFY}). Listening
 *       starts before anything else can miss a signal, and sending stops after everything else
 *       has sent its last one.</li>
 *   <li>{@link #PUSHES}: stores the jobs clients queue, in groups. It only writes rows; once
 *       stopped, requests store their jobs themselves.</li>
 *   <li>{@link #TRIGGER_SCHEDULER}: fires due time triggers and closes debounce windows. It only
 *       queues jobs, which are durable rows, so it needs nothing else running; it stops last.</li>
 *   <li>{@link #NODE}: this node's row and heartbeat. It exists before anything is leased to this
 *       node and is removed only after the last outcome of this node is written.</li>
 *   <li>{@link #LEASES}: takes back what this node's previous life left running, before any new
 *       claim, and then watches the other nodes' leases.</li>
 *   <li>{@link #OUTCOMES}: the outcome writer runs before the first attempt can end and stops
 *       after the last one has ended, so that no outcome is left unwritten.</li>
 *   <li>{@link #STANDBY}: node processes started ahead for the service worker. They wait before
 *       the first claim and are killed only once the dispatcher has stopped.</li>
 *   <li>{@link #DISPATCHER}: claims and runs attempts. It starts last and stops first; its stop
 *       waits for the running attempts (up to the shutdown grace).</li>
 *   <li>{@link #RETENTION}: purges finished jobs past their retention. It depends on nothing else
 *       and is the first to stop: a purge is never urgent.</li>
 * </ol>
 */
public final class Phases {

    public static final int H2_UPKEEP = Integer.MAX_VALUE - 220;
    public static final int SIGNALS = Integer.MAX_VALUE - 210;
    public static final int REALTIME = Integer.MAX_VALUE - 208;
    public static final int TRIGGER_SCHEDULER = Integer.MAX_VALUE - 200;
    public static final int PUSHES = Integer.MAX_VALUE - 205;
    public static final int NODE = Integer.MAX_VALUE - 120;
    public static final int LEASES = Integer.MAX_VALUE - 110;
    public static final int OUTCOMES = Integer.MAX_VALUE - 105;
    public static final int STANDBY = Integer.MAX_VALUE - 102;
    public static final int DISPATCHER = Integer.MAX_VALUE - 100;
    public static final int RETENTION = Integer.MAX_VALUE - 90;

    private Phases() {}
}
