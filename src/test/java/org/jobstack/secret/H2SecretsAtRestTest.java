package org.jobstack.secret;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class H2SecretsAtRestTest extends AbstractSecretsAtRestTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    HikariDataSource dataSource;

    /** The database file itself, once H2 has written what it holds in memory. */
    @Override
    byte[] dump() throws Exception {
        jdbc.sql("CHECKPOINT SYNC").update();
        String url = dataSource.getJdbcUrl();
        String file = url.substring("jdbc:h2:file:".length(), url.indexOf(';'));
        return Files.readAllBytes(Path.of(file + ".mv.db"));
    }
}
