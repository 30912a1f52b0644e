package org.jobstack.common;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A named daemon thread that runs one step again and again. After each pass it waits as long as
 * the step asked, or less when {@link #wake() woken}. A pass that throws is logged and followed
 * by the loop's error wait. Stopping is gentle: the pass under way ends on its own (threads are
 * never interrupted, see {@link GentleShutdown}), then the optional last pass runs on the loop's
 * thread, for whatever must not be left behind.
 */
public final class BackgroundLoop {

    /** One pass of a loop; returns how long to wait before the next (zero: at once). */
    @FunctionalInterface
    public interface Step {
        Duration run() throws Exception;
    }

    private static final Logger log = LoggerFactory.getLogger(BackgroundLoop.class);

    private final String name;
    private final Step step;
    private final Duration errorWait;
    private final String errorMessage;
    private final Runnable lastPass;
    private final AtomicBoolean woken = new AtomicBoolean();
    private volatile boolean running;
    private volatile Thread thread;

    private BackgroundLoop(String name, Step step, Duration errorWait, String errorMessage, Runnable lastPass) {
        this.name = name;
        this.step = step;
        this.errorWait = errorWait;
        this.errorMessage = errorMessage;
        this.lastPass = lastPass;
    }

    /**
     * A loop whose thread is called {@code name}; after a failed pass it logs {@code errorMessage}
     * with the cause and waits {@code errorWait}.
     */
    public static BackgroundLoop of(String name, Duration errorWait, String errorMessage, Step step) {
        return new BackgroundLoop(name, step, errorWait, errorMessage, null);
    }

    /** The same loop with a last pass run once the loop has stopped (e.g. writing what is still queued). */
    public BackgroundLoop withLastPass(Runnable last) {
        return new BackgroundLoop(name, step, errorWait, errorMessage, last);
    }

    /** Starts the thread, which runs its first pass at once; a stopped loop may be started again. */
    public void start() {
        startAfter(Duration.ZERO);
    }

    /** Starts the thread, which waits {@code firstWait} (or until woken) before its first pass. */
    public synchronized void startAfter(Duration firstWait) {
        if (running) {
            return;
        }
        running = true;
        woken.set(false);
        Thread t = new Thread(() -> loop(firstWait), name);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Ends the current wait at once, or the next one when a pass is under way. Cheap when repeated. */
    public void wake() {
        if (!woken.getAndSet(true)) {
            Thread t = thread;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    /** Asks the loop to stop and waits up to {@code patience} for its pass and last pass to end. */
    public void stop(Duration patience) {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
        }
        if (t == null) {
            return;
        }
        LockSupport.unpark(t);
        try {
            t.join(Math.max(1, patience.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean isRunning() {
        return running;
    }

    private void loop(Duration firstWait) {
        pause(firstWait);
        while (running) {
            Duration wait;
            try {
                wait = step.run();
            } catch (Exception e) {
                log.atWarn().addKeyValue("loop", name).setCause(e).log(errorMessage);
                wait = errorWait;
            }
            pause(wait);
            if (Thread.interrupted()) {
                running = false;
            }
        }
        if (lastPass != null) {
            try {
                lastPass.run();
            } catch (RuntimeException e) {
                log.atWarn().addKeyValue("loop", name).setCause(e).log("Last pass of a stopping loop failed");
            }
        }
    }

    private void pause(Duration wait) {
        long deadline = System.nanoTime() + Math.max(0, wait.toNanos());
        for (long left = deadline - System.nanoTime();
                running && left > 0 && !woken.get();
                left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(this, left);
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
        }
        woken.set(false);
    }
}
