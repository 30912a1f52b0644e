package org.jobstack.config;

import java.time.Duration;
import java.util.Optional;
import org.jobstack.common.BackgroundLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Gives the C library's free memory back to the system while the server is idle, checked every
 * {@code jobstack.memory.native-trim-interval} (10 s). The JVM's compilers, class parsing and
 * start-up free a lot of native memory that glibc's allocator keeps resident for later: about 30 MB
 * of an idle server after its start (docs/benchmarks.md). Idle means no collection of the heap
 * since the previous check: a busy server allocates, collects, and would only take that memory
 * back (trimming every 10 s under load lowered the enqueue/health ratio in every one of four
 * alternated runs). The JDKs that have {@code -XX:TrimNativeHeapInterval} trim on a timer alone
 * when it is given; then this does nothing.
 */
@Component
class NativeHeapTrim implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(NativeHeapTrim.class);
    private static final String JVM_FLAG = "TrimNativeHeapInterval";

    private final Duration interval;
    private final VmFlags flags;
    private final BackgroundLoop loop;
    private volatile boolean unavailable;
    private long collectionsSeen = -1;

    @Autowired
    NativeHeapTrim(JobstackProperties properties) {
        this(properties.memory().nativeTrimInterval(), VmFlags.hotSpot());
    }

    NativeHeapTrim(Duration interval, VmFlags flags) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("jobstack.memory.native-trim-interval must be >= 0");
        }
        this.interval = interval;
        this.flags = flags;
        this.loop = BackgroundLoop.of("native-heap-trim", interval, "Trimming the native heap failed", this::pass);
    }

    /** Trims once; what the JVM reported, or empty when it cannot trim (then later passes do nothing). */
    Optional<String> trim() {
        if (unavailable) {
            return Optional.empty();
        }
        Optional<String> report = flags.trimNativeHeap();
        if (report.isEmpty()) {
            unavailable = true;
            log.atDebug().log("This JVM cannot trim its native heap");
        }
        return report;
    }

    /** One check: trims when the heap was not collected since the previous check. */
    Duration pass() {
        long collections = flags.collections();
        boolean idle = collections == collectionsSeen;
        collectionsSeen = collections;
        if (idle) {
            trim().ifPresent(report -> log.atDebug().log(report));
        }
        return interval;
    }

    @Override
    public void start() {
        if (!interval.isZero() && !flags.given(JVM_FLAG)) {
            loop.startAfter(interval);
        }
    }

    @Override
    public void stop() {
        loop.stop(Duration.ofSeconds(1));
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }
}
