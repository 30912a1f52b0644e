package org.jobstack.app;

import javax.sql.DataSource;
import org.jobstack.support.Databases;

class PostgresAppVersionStoreTest extends AbstractAppVersionStoreTest {

    @Override
    DataSource dataSource() {
        return Databases.postgres();
    }
}
