package org.jobstack.cluster;

import javax.sql.DataSource;
import org.jobstack.common.Database;
import org.jobstack.config.JobstackProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Signals go through PostgreSQL's LISTEN/NOTIFY when nodes share one; H2 has a single node. */
@Configuration
class SignalConfig {

    @Bean
    ClusterSignals clusterSignals(
            DataSource dataSource, ApplicationEventPublisher events, JobstackProperties properties) {
        if (Database.of(dataSource) == Database.POSTGRESQL
                && properties.cluster().notifications()) {
            return new PostgresSignals(dataSource, events);
        }
        return signal -> {};
    }
}
