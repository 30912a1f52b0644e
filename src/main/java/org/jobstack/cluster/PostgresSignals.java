package org.jobstack.cluster;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.jobstack.common.BackgroundLoop;
import org.jobstack.common.Ids;
import org.jobstack.common.Phases;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

/**
 * Signals between nodes through PostgreSQL's {@code LISTEN/NOTIFY}, on channel {@value #CHANNEL}.
 *
 * <p>Sending: signals wait in a set, so the same signal asked for many times meanwhile is sent
 * once, and one loop sends everything waiting in one {@code NOTIFY} of its own transaction. A
 * {@code NOTIFY} takes a lock at commit that serialises the transactions that notify; the
 * transactions that queue jobs never notify, so they never wait for it.
 *
 * <p>Receiving: a loop holds one connection that listens, and publishes every signal of the other
 * nodes as an application event. When it (re)connects it publishes a {@link Signal.Topic#RESYNC},
 * since signals sent while it was away are lost; polling stays the fallback for those.
 */
class PostgresSignals implements ClusterSignals, SmartLifecycle {

    static final String CHANNEL = "jobstack";
    /** PostgreSQL refuses payloads of 8000 bytes or more. */
    static final int MAX_PAYLOAD = 7900;

    private static final Logger log = LoggerFactory.getLogger(PostgresSignals.class);
    private static final Duration IDLE = Duration.ofSeconds(1);

    private final DataSource dataSource;
    private final ApplicationEventPublisher events;
    private final String sender = Ids.newId().substring(0, 12);
    /** In the order asked for (realtime events keep theirs); the same signal waits once. */
    private final Set<Signal> waiting = new LinkedHashSet<>();

    private final BackgroundLoop sending;
    private final BackgroundLoop listening;
    private Connection connection;
    /** The sender's own connection, kept between passes: a notification costs one round trip. */
    private Connection sendConnection;

    private PreparedStatement notify;

    PostgresSignals(DataSource dataSource, ApplicationEventPublisher events) {
        this.dataSource = dataSource;
        this.events = events;
        this.sending = BackgroundLoop.of("cluster-notify", IDLE, "Could not notify the other nodes", this::sendPass)
                .withLastPass(this::closeSending);
        this.listening = BackgroundLoop.of(
                        "cluster-listen", IDLE, "Listening to the other nodes failed; reconnecting", this::listenPass)
                .withLastPass(this::disconnect);
    }

    @Override
    public void broadcast(Signal signal) {
        boolean added;
        synchronized (waiting) {
            added = waiting.add(signal);
        }
        if (added) {
            sending.wake();
        }
    }

    private Duration sendPass() throws SQLException {
        List<Signal> batch;
        synchronized (waiting) {
            batch = new ArrayList<>(waiting);
            waiting.clear();
        }
        if (batch.isEmpty()) {
            return IDLE;
        }
        try {
            if (notify == null) {
                sendConnection = dataSource.getConnection();
                sendConnection.setAutoCommit(true);
                notify = sendConnection.prepareStatement("SELECT pg_notify(?, ?)");
            }
            for (String payload : payloads(batch)) {
                notify.setString(1, CHANNEL);
                notify.setString(2, payload);
                notify.execute();
            }
        } catch (SQLException e) {
            closeSending();
            throw e;
        }
        synchronized (waiting) {
            return waiting.isEmpty() ? IDLE : Duration.ZERO;
        }
    }

    private void closeSending() {
        close(sendConnection);
        sendConnection = null;
        notify = null;
    }

    /** The sender's id, then one signal a line; split so that no payload is too long (in UTF-8 bytes). */
    List<String> payloads(List<Signal> signals) {
        List<String> payloads = new ArrayList<>();
        StringBuilder payload = new StringBuilder(sender);
        int bytes = sender.length();
        for (Signal signal : signals) {
            String line = signal.encode();
            int lineBytes = utf8Length(line);
            if (lineBytes + sender.length() + 1 >= MAX_PAYLOAD) {
                log.atWarn().addKeyValue("topic", signal.topic()).log("A signal too long to send was dropped");
                continue;
            }
            if (bytes + lineBytes + 1 >= MAX_PAYLOAD) {
                payloads.add(payload.toString());
                payload = new StringBuilder(sender);
                bytes = sender.length();
            }
            payload.append('\n').append(line);
            bytes += lineBytes + 1;
        }
        payloads.add(payload.toString());
        return payloads;
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private Duration listenPass() throws SQLException {
        if (connection == null) {
            connect();
        }
        PGNotification[] notifications;
        try {
            notifications = connection.unwrap(PGConnection.class).getNotifications((int) IDLE.toMillis());
        } catch (SQLException e) {
            disconnect();
            throw e;
        }
        if (notifications != null) {
            for (PGNotification notification : notifications) {
                receive(notification.getParameter());
            }
        }
        return Duration.ZERO;
    }

    void receive(String payload) {
        String[] lines = payload.split("\n");
        if (lines.length == 0 || lines[0].equals(sender)) {
            return;
        }
        for (int i = 1; i < lines.length; i++) {
            Signal.decode(lines[i]).ifPresent(this::publish);
        }
    }

    private void publish(Signal signal) {
        try {
            events.publishEvent(signal);
        } catch (RuntimeException e) {
            log.atWarn().addKeyValue("signal", signal).setCause(e).log("Handling a signal of another node failed");
        }
    }

    private void connect() throws SQLException {
        Connection fresh = dataSource.getConnection();
        try (Statement statement = fresh.createStatement()) {
            fresh.setAutoCommit(true);
            statement.execute("LISTEN " + CHANNEL);
        } catch (SQLException e) {
            fresh.close();
            throw e;
        }
        connection = fresh;
        log.atInfo().log("Listening to the other nodes");
        publish(Signal.of(Signal.Topic.RESYNC, ""));
    }

    private void disconnect() {
        close(connection);
        connection = null;
    }

    private static void close(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                log.atDebug().setCause(e).log("Closing a signalling connection");
            }
        }
    }

    @Override
    public void start() {
        sending.start();
        listening.start();
    }

    @Override
    public void stop() {
        sending.stop(Duration.ofSeconds(5));
        listening.stop(IDLE.plusSeconds(5));
    }

    @Override
    public boolean isRunning() {
        return listening.isRunning();
    }

    @Override
    public int getPhase() {
        return Phases.SIGNALS;
    }
}
