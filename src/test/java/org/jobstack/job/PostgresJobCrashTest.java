package org.jobstack.job;

import org.jobstack.support.Databases;

class PostgresJobCrashTest extends AbstractJobCrashTest {

    private final String url = Databases.newPostgresDatabase();

    @Override
    String[] databaseSettings() {
        return new String[] {
            "--spring.datasource.url=" + url,
            "--spring.datasource.username=postgres",
            "--spring.datasource.password=postgres"
        };
    }
}
