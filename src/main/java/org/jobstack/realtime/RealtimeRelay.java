package org.jobstack.realtime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jobstack.cluster.ClusterSignals;
import org.jobstack.cluster.Signal;
import org.jobstack.common.BackgroundLoop;
import org.jobstack.common.Phases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Realtime events reach the clients of every node. Each node tells the others which instances its
 * clients watch ({@link Signal.Topic#WATCHING}, every {@value #ANNOUNCE_SECONDS} s and as soon as a
 * new one comes); an event of an instance watched elsewhere goes out as a {@link
 * Signal.Topic#REALTIME} signal (in order, with the other signals of this node), through {@link
 * RealtimeOverflowStore} when too large. Nothing is sent for instances nobody watches, so a cluster
 * without realtime clients pays nothing. On one node (H2) signals go nowhere and nothing is relayed.
 */
@Component
class RealtimeRelay implements SmartLifecycle {

    static final int ANNOUNCE_SECONDS = 20;
    /** An instance announced by another node is watched there until this long after. */
    static final Duration INTEREST = Duration.ofSeconds(3 * ANNOUNCE_SECONDS);
    /** NOTIFY payloads are under 8 000 bytes: a larger event goes through the overflow table. */
    static final int MAX_INLINE_CHARS = 2_500;

    private static final Logger log = LoggerFactory.getLogger(RealtimeRelay.class);
    private static final String ASK = "?";

    private final RealtimeHub hub;
    private final ClusterSignals signals;
    private final RealtimeOverflowStore overflow;
    private final JsonMapper json;
    private final Clock clock;
    private final Map<String, Instant> watchedElsewhere = new ConcurrentHashMap<>();
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private final BackgroundLoop announcer;

    RealtimeRelay(
            RealtimeHub hub, ClusterSignals signals, RealtimeOverflowStore overflow, JsonMapper json, Clock clock) {
        this.hub = hub;
        this.signals = signals;
        this.overflow = overflow;
        this.json = json;
        this.clock = clock;
        this.announcer = BackgroundLoop.of(
                "realtime-announce", Duration.ofSeconds(5), "Announcing realtime clients failed", this::announce);
        hub.onNewDomain(announcer::wake);
    }

    /** Does anybody, on any node, watch this instance? */
    boolean wanted(String domain) {
        return hub.hasClients(domain) || watchedElsewhere(domain);
    }

    boolean watchedElsewhere(String domain) {
        Instant until = watchedElsewhere.get(domain);
        return until != null && until.isAfter(clock.instant());
    }

    /** To this node's clients, and to the other nodes when theirs watch the instance. */
    void publish(RealtimeEvent event) {
        hub.deliver(event);
        if (watchedElsewhere(event.domain())) {
            try {
                String encoded = encode(event);
                if (encoded.length() > MAX_INLINE_CHARS) {
                    encoded = "@" + overflow.store(encoded);
                    overflowed.set(true);
                }
                signals.broadcast(Signal.of(Signal.Topic.REALTIME, encoded));
            } catch (RuntimeException e) {
                log.atWarn().setCause(e).addKeyValue("domain", event.domain()).log("Realtime event not relayed");
            }
        }
    }

    @EventListener
    void onSignal(Signal signal) {
        switch (signal.topic()) {
            case REALTIME -> received(signal.subject());
            case WATCHING -> watching(signal.subject());
            case RESYNC -> {
                signals.broadcast(Signal.of(Signal.Topic.WATCHING, ASK));
                announcer.wake();
            }
            default -> {}
        }
    }

    private void received(String subject) {
        try {
            String encoded = subject.startsWith("@")
                    ? overflow.load(subject.substring(1)).orElse(null)
                    : subject;
            if (encoded != null) {
                hub.deliver(decode(encoded));
            }
        } catch (RuntimeException e) {
            log.atWarn().setCause(e).log("A realtime event of another node could not be read");
        }
    }

    private void watching(String subject) {
        if (subject.equals(ASK)) {
            announcer.wake();
            return;
        }
        Instant until = clock.instant().plus(INTEREST);
        for (String domain : subject.split(" ")) {
            if (!domain.isEmpty()) {
                watchedElsewhere.put(domain, until);
            }
        }
    }

    private Duration announce() {
        List<String> domains = hub.domains();
        for (String chunk : chunks(domains)) {
            signals.broadcast(Signal.of(Signal.Topic.WATCHING, chunk));
        }
        Instant now = clock.instant();
        watchedElsewhere.values().removeIf(until -> !until.isAfter(now));
        if (overflowed.getAndSet(false)) {
            overflow.purge();
        }
        return Duration.ofSeconds(ANNOUNCE_SECONDS);
    }

    /** The domains, space-separated, in pieces that fit a signal. */
    static List<String> chunks(List<String> domains) {
        List<String> chunks = new ArrayList<>();
        StringBuilder chunk = new StringBuilder();
        for (String domain : domains) {
            if (chunk.length() + domain.length() + 1 > MAX_INLINE_CHARS) {
                chunks.add(chunk.toString());
                chunk.setLength(0);
            }
            if (!chunk.isEmpty()) {
                chunk.append(' ');
            }
            chunk.append(domain);
        }
        if (!chunk.isEmpty()) {
            chunks.add(chunk.toString());
        }
        return chunks;
    }

    String encode(RealtimeEvent event) {
        ObjectNode node = json.createObjectNode();
        node.put("domain", event.domain());
        node.put("verb", event.verb());
        node.put("type", event.doctype());
        node.put("id", event.id());
        ObjectNode fields = node.putObject("fields");
        event.fields().forEach(fields::put);
        node.set("doc", event.doc());
        return json.writeValueAsString(node);
    }

    RealtimeEvent decode(String encoded) {
        JsonNode node = json.readTree(encoded);
        Map<String, String> fields = new java.util.HashMap<>();
        node.get("fields")
                .properties()
                .forEach(e -> fields.put(e.getKey(), e.getValue().asString()));
        return new RealtimeEvent(
                node.get("domain").asString(),
                node.get("verb").asString(),
                node.get("type").asString(),
                node.get("id").asString(),
                (ObjectNode) node.get("doc"),
                fields);
    }

    @Override
    public void start() {
        announcer.start();
    }

    @Override
    public void stop() {
        announcer.stop(Duration.ofSeconds(2));
    }

    @Override
    public boolean isRunning() {
        return announcer.isRunning();
    }

    @Override
    public int getPhase() {
        return Phases.REALTIME;
    }
}
