package org.jobstack.config;

import com.zaxxer.hikari.HikariDataSource;
import java.util.Map;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

/**
 * Defaults for pgjdbc, each unless the JDBC URL or the pool's data source properties set it:
 *
 * <ul>
 *   <li>{@code prepareThreshold=0}: statements are not kept as server-side prepared statements.
 *       With pgjdbc's default (prepared on the server from the fifth run) the queue had runs of
 *       20 000 jobs at 0.5–1.8 k/s in 9 runs out of 21, against 1 out of 29 without, at about a
 *       quarter less peak throughput (bench/queue.sh; figures in docs/benchmarks.md).
 *   <li>{@code socketTimeout=15} (seconds): a query whose answer does not come (the database's
 *       host or the network gone without closing the connection) fails instead of holding its
 *       thread for ever; background loops then retry and requests get 503. A query that really
 *       runs longer (a migration on a large database) needs a larger value.
 *   <li>{@code tcpKeepAlive=true}: idle pooled connections to a host that went away are noticed.
 * </ul>
 */
@Component
class PostgresDriverSettings implements BeanPostProcessor {

    static final Map<String, String> DEFAULTS =
            Map.of("prepareThreshold", "0", "socketTimeout", "15", "tcpKeepAlive", "true");

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource dataSource
                && dataSource.getJdbcUrl() != null
                && dataSource.getJdbcUrl().startsWith("jdbc:postgresql:")) {
            DEFAULTS.forEach((name, value) -> {
                if (!dataSource.getJdbcUrl().contains(name)
                        && !dataSource.getDataSourceProperties().containsKey(name)) {
                    dataSource.addDataSourceProperty(name, value);
                }
            });
        }
        return bean;
    }
}
