package org.jobstack.realtime;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jobstack.common.DaemonThreads;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Closes realtime connections on a thread of its own: a close frame to a client that does not
 * read may block (for a second at most), and no thread that delivers events should wait for it.
 */
@Component
class RealtimeCloser implements java.util.concurrent.Executor, DisposableBean {

    private final ExecutorService thread = Executors.newSingleThreadExecutor(DaemonThreads.named("realtime-closer"));

    @Override
    public void execute(Runnable command) {
        thread.execute(command);
    }

    @Override
    public void destroy() {
        thread.shutdownNow();
    }
}
