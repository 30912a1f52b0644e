package org.jobstack.job;

import javax.sql.DataSource;
import org.jobstack.support.Databases;

class PostgresJobStoreTest extends AbstractJobStoreTest {

    @Override
    DataSource dataSource() {
        return Databases.postgres();
    }
}
