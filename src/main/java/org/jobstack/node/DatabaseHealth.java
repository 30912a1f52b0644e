package org.jobstack.node;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health of the database as this node's heartbeat last found it: answered at once, never waiting
 * for a connection (Spring's own check would wait for the pool while the database is away). DOWN
 * within a heartbeat interval plus the pool's connection timeout of an outage; UP again at the
 * first beat after it.
 */
@Component("database")
class DatabaseHealth implements HealthIndicator {

    private final NodeHeartbeat heartbeat;

    DatabaseHealth(NodeHeartbeat heartbeat) {
        this.heartbeat = heartbeat;
    }

    @Override
    public Health health() {
        Health.Builder health = heartbeat.databaseReached() ? Health.up() : Health.down();
        return health.withDetail("last_heartbeat", String.valueOf(heartbeat.lastHeartbeat()))
                .build();
    }
}
