package org.jobstack.app;

import javax.sql.DataSource;
import org.jobstack.support.Databases;

class PostgresAppFilesTest extends AbstractAppFilesTest {

    @Override
    DataSource dataSource() {
        return Databases.postgres();
    }
}
