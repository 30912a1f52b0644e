package org.jobstack.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.sql.Connection;
import javax.sql.DataSource;
import org.jobstack.support.OnPostgres;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

class PostgresJobEngineTest extends AbstractJobEngineTest {

    @Autowired
    DataSource dataSource;

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) throws IOException {
        OnPostgres.register(registry);
    }

    @Test
    void should_not_keep_server_side_prepared_statements_on_postgresql() throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            assertThat(connection.unwrap(PGConnection.class).getPrepareThreshold())
                    .isZero();
        }
    }
}
