package org.jobstack.node;

import javax.sql.DataSource;
import org.jobstack.support.Databases;

class H2NodeStoreTest extends AbstractNodeStoreTest {

    @Override
    DataSource dataSource() {
        return Databases.h2();
    }
}
