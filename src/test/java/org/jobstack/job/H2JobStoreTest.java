package org.jobstack.job;

import javax.sql.DataSource;
import org.jobstack.support.Databases;

class H2JobStoreTest extends AbstractJobStoreTest {

    @Override
    DataSource dataSource() {
        return Databases.h2();
    }
}
