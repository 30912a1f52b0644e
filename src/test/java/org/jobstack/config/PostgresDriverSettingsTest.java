package org.jobstack.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;

class PostgresDriverSettingsTest {

    private final PostgresDriverSettings settings = new PostgresDriverSettings();

    @Test
    void should_give_pgjdbc_a_socket_timeout_keepalive_and_no_server_side_prepares_by_default() {
        HikariDataSource pool = pool("jdbc:postgresql://localhost/jobstack");

        settings.postProcessBeforeInitialization(pool, "dataSource");

        assertThat(pool.getDataSourceProperties())
                .containsEntry("socketTimeout", "15")
                .containsEntry("tcpKeepAlive", "true")
                .containsEntry("prepareThreshold", "0");
    }

    @Test
    void should_keep_what_the_url_or_the_pool_properties_set() {
        HikariDataSource pool = pool("jdbc:postgresql://localhost/jobstack?socketTimeout=120");
        pool.addDataSourceProperty("prepareThreshold", "5");

        settings.postProcessBeforeInitialization(pool, "dataSource");

        assertThat(pool.getDataSourceProperties())
                .doesNotContainKey("socketTimeout")
                .containsEntry("prepareThreshold", "5")
                .containsEntry("tcpKeepAlive", "true");
    }

    @Test
    void should_leave_h2_alone() {
        HikariDataSource pool = pool("jdbc:h2:mem:x");

        settings.postProcessBeforeInitialization(pool, "dataSource");

        assertThat(pool.getDataSourceProperties()).isEmpty();
    }

    private static HikariDataSource pool(String url) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(url);
        return pool;
    }
}
