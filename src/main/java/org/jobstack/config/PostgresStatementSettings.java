package org.jobstack.config;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

/**
 * On PostgreSQL, statements are not kept as server-side prepared statements
 * ({@code prepareThreshold=0}) unless the JDBC URL or the pool's data source properties say
 * otherwise. With pgjdbc's default (prepared on the server from the fifth run) the queue had runs
 * of 20 000 jobs at 0.5–1.8 k/s in 9 runs out of 21, against 1 out of 29 without, at about a
 * quarter less peak throughput (bench/queue.sh; the figures are in docs/benchmarks.md).
 */
@Component
class PostgresStatementSettings implements BeanPostProcessor {

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource dataSource
                && dataSource.getJdbcUrl() != null
                && dataSource.getJdbcUrl().startsWith("jdbc:postgresql:")
                && !dataSource.getJdbcUrl().contains("prepareThreshold")
                && !dataSource.getDataSourceProperties().containsKey("prepareThreshold")) {
            dataSource.addDataSourceProperty("prepareThreshold", "0");
        }
        return bean;
    }
}
