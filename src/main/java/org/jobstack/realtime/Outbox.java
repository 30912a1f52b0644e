package org.jobstack.realtime;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * The messages waiting for one client, sent one at a time without blocking whoever offers them.
 * When more than {@code maxChars} wait (a client that reads too slowly or not at all), the outbox
 * drops them and aborts the connection: a slow client never holds the server back.
 */
final class Outbox {

    /** Where messages go: sends asynchronously and reports the end of each send, once. */
    interface Transport {
        void send(String message, Consumer<Throwable> done);

        /** Sends a ping at once (called only while no message is being sent). */
        void ping() throws Exception;

        /** Closes the connection without waiting; {@code reason} says why. */
        void abort(String reason);
    }

    private final Transport transport;
    private final long maxChars;
    private final ArrayDeque<String> waiting = new ArrayDeque<>();
    private long waitingChars;
    private boolean sending;
    private boolean closed;
    /** Once everything offered so far is sent, close with this reason (null: stay open). */
    private String closeWhenSent;

    Outbox(Transport transport, long maxChars) {
        this.transport = transport;
        this.maxChars = maxChars;
    }

    /** Queues a message; false when the outbox is closed (now or before). */
    boolean offer(String message) {
        return offer(message, null);
    }

    /** Queues a last message: once it is sent, the connection is closed with {@code reason}. */
    boolean offerLast(String message, String reason) {
        return offer(message, reason);
    }

    private boolean offer(String message, String closeReason) {
        synchronized (this) {
            if (closed || closeWhenSent != null) {
                return false;
            }
            closeWhenSent = closeReason;
            if (sending) {
                if (waitingChars + message.length() > maxChars) {
                    closeAndAbort("The client reads too slowly: more than " + maxChars + " characters waited");
                    return false;
                }
                waiting.add(message);
                waitingChars += message.length();
                return true;
            }
            sending = true;
        }
        sendFrom(message);
        return true;
    }

    /** Pings the client when nothing is being sent (a busy connection needs no ping). */
    void pingIfIdle() {
        synchronized (this) {
            if (closed || sending) {
                return;
            }
            sending = true;
        }
        Throwable failure = null;
        try {
            transport.ping();
        } catch (Exception e) {
            failure = e;
        }
        String next = next(failure);
        if (next != null) {
            sendFrom(next);
        }
    }

    /** Drops what waits and closes the connection at once. */
    synchronized void abort(String reason) {
        if (!closed) {
            closeAndAbort(reason);
        }
    }

    synchronized boolean isClosed() {
        return closed;
    }

    synchronized void close() {
        closed = true;
        waiting.clear();
        waitingChars = 0;
    }

    /** Sends {@code first}, then what waits, looping here while sends complete at once (no deep recursion). */
    private void sendFrom(String first) {
        String message = first;
        while (message != null) {
            Send send = new Send();
            transport.send(message, send);
            message = send.returned();
        }
    }

    /** The next message to send after a send ended, or null (nothing waits, or the outbox closed). */
    private String next(Throwable failure) {
        synchronized (this) {
            if (failure != null) {
                if (!closed) {
                    closeAndAbort("Sending failed: " + failure.getMessage());
                }
                return null;
            }
            String next = waiting.poll();
            if (next == null) {
                sending = false;
                if (closeWhenSent != null && !closed) {
                    closeAndAbort(closeWhenSent);
                }
            } else {
                waitingChars -= next.length();
            }
            return closed ? null : next;
        }
    }

    private void closeAndAbort(String reason) {
        close();
        transport.abort(reason);
    }

    /** One send: completed either before {@code send} returned (the loop goes on) or later (the callback does). */
    private final class Send implements Consumer<Throwable> {
        private boolean completed;
        private boolean returned;
        private Throwable failure;

        @Override
        public void accept(Throwable result) {
            boolean later;
            synchronized (this) {
                completed = true;
                failure = result;
                later = returned;
            }
            if (later) {
                String next = next(result);
                if (next != null) {
                    sendFrom(next);
                }
            }
        }

        String returned() {
            synchronized (this) {
                returned = true;
                if (!completed) {
                    return null;
                }
            }
            return next(failure);
        }
    }
}
