package org.jobstack.realtime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jobstack.common.BackgroundLoop;
import org.jobstack.common.Phases;
import org.jobstack.config.JobstackProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Keeps the realtime connections honest, once a second: closes those that sent no {@code AUTH}
 * in time and those silent for three ping intervals (gone without a close), and pings the others.
 */
@Component
class RealtimeKeeper implements SmartLifecycle {

    private static final Duration PASS = Duration.ofSeconds(1);

    private final RealtimeHub hub;
    private final RealtimeCommands commands;
    private final JobstackProperties.Realtime settings;
    private final Clock clock;
    private final BackgroundLoop loop;

    RealtimeKeeper(RealtimeHub hub, RealtimeCommands commands, JobstackProperties properties, Clock clock) {
        this.hub = hub;
        this.commands = commands;
        this.settings = properties.realtime();
        this.clock = clock;
        this.loop = BackgroundLoop.of("realtime-keeper", PASS, "Keeping realtime connections failed", () -> {
            pass();
            return PASS;
        });
    }

    void pass() {
        Instant now = clock.instant();
        for (RealtimeConnection connection : hub.connections()) {
            if (connection.caller() == null) {
                if (!connection.openedAt().plus(settings.authTimeout()).isAfter(now)) {
                    connection.outbox().offerLast(commands.unauthorized(), "No AUTH in time");
                }
            } else if (!connection
                    .lastHeard()
                    .plus(settings.pingInterval().multipliedBy(3))
                    .isAfter(now)) {
                connection.outbox().abort("Silent for three ping intervals");
            } else if (!connection.lastPinged().plus(settings.pingInterval()).isAfter(now)) {
                connection.pinged(now);
                connection.outbox().pingIfIdle();
            }
        }
    }

    @Override
    public void start() {
        loop.start();
    }

    @Override
    public void stop() {
        loop.stop(Duration.ofSeconds(2));
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }

    @Override
    public int getPhase() {
        return Phases.REALTIME;
    }
}
