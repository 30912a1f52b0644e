package org.jobstack.job;

class H2JobCrashTest extends AbstractJobCrashTest {

    @Override
    String[] databaseSettings() {
        return new String[0];
    }
}
