package org.jobstack.app;

import javax.sql.DataSource;
import org.jobstack.support.Databases;

class H2AppVersionStoreTest extends AbstractAppVersionStoreTest {

    @Override
    DataSource dataSource() {
        return Databases.h2();
    }
}
