package org.jobstack.node;

import javax.sql.DataSource;
import org.jobstack.support.Databases;

class PostgresNodeStoreTest extends AbstractNodeStoreTest {

    @Override
    DataSource dataSource() {
        return Databases.postgres();
    }
}
