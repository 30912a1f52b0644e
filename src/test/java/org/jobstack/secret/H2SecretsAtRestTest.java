package org.jobstack.secret;

import java.nio.file.Files;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class H2SecretsAtRestTest extends AbstractSecretsAtRestTest {

    @Autowired
    JdbcClient jdbc;

    /** The database file itself, once H2 has written what it holds in memory. */
    @Override
    byte[] dump() throws Exception {
        jdbc.sql("CHECKPOINT SYNC").update();
        return Files.readAllBytes(dataDir().resolve("jobstack.mv.db"));
    }
}
