package org.jobstack.common;

import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * A Flyway migration written in Java, numbered among the SQL ones: its version, a description,
 * and that number as its checksum (what Flyway compares on later starts), in one transaction.
 */
public abstract class NumberedMigration implements JavaMigration {

    private final int version;
    private final String description;

    protected NumberedMigration(int version, String description) {
        this.version = version;
        this.description = description;
    }

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion(String.valueOf(version));
    }

    @Override
    public String getDescription() {
        return description;
    }

    @Override
    public Integer getChecksum() {
        return version;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }
}
