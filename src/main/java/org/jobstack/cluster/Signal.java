package org.jobstack.cluster;

import java.util.Arrays;
import java.util.Optional;

/**
 * A wake-up sent to the other nodes sharing the database: what changed and about what (a worker,
 * a domain, a job id; empty when it is about everything of its kind). Received signals are
 * published as application events on the receiving node.
 */
public record Signal(Topic topic, String subject) {

    public enum Topic {
        /** Jobs of a worker (the subject) were queued or came due: claim. */
        JOB_QUEUED('q'),
        /** A trigger or a debounce window may be due sooner: look at the schedule again. */
        SCHEDULE('s'),
        /** A worker type was paused or resumed. */
        PAUSES('p'),
        /** Triggers of an instance (the subject) were created, changed or deleted. */
        TRIGGERS('t'),
        /** Apps or konnectors of an instance (the subject) were installed, updated or removed. */
        APPS('a'),
        /** An instance (the subject) was changed or deleted. */
        INSTANCE('i'),
        /** The running attempt of a job is to be stopped: subject {@code <job id> <reason>}. */
        CANCEL('c'),
        /** A node (the subject) was drained or undrained. */
        NODES('n'),
        /** A realtime event (the subject: the event, or {@code @<id>} of a stored one) for the clients of every node. */
        REALTIME('e'),
        /** The instances whose realtime clients are on the sending node (space-separated), or {@code ?}: say yours. */
        WATCHING('w'),
        /** Signals may have been missed (the listener reconnected): refresh everything. */
        RESYNC('r');

        private final char code;

        Topic(char code) {
            this.code = code;
        }

        static Optional<Topic> of(char code) {
            return Arrays.stream(values()).filter(t -> t.code == code).findFirst();
        }
    }

    public Signal {
        subject = subject == null ? "" : subject;
    }

    public static Signal of(Topic topic, String subject) {
        return new Signal(topic, subject);
    }

    /** One line of a notification's payload. */
    String encode() {
        return topic.code + subject.replace('\n', ' ');
    }

    /** A line written by {@link #encode}; empty when it is not one (a newer node's topic, say). */
    static Optional<Signal> decode(String line) {
        if (line.isEmpty()) {
            return Optional.empty();
        }
        return Topic.of(line.charAt(0)).map(topic -> new Signal(topic, line.substring(1)));
    }
}
