package org.jobstack.app;

import org.springframework.jdbc.core.simple.JdbcClient;

/** The SQL of {@link LegacyFolders}, a fragment of {@link AppRepository}. */
class LegacyFoldersImpl implements LegacyFolders {

    private final JdbcClient jdbc;

    LegacyFoldersImpl(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public boolean anyLegacyFolder() {
        return jdbc.sql("SELECT COUNT(*) FROM app WHERE version_id IS NULL AND storage IS NOT NULL")
                        .query(Long.class)
                        .single()
                > 0;
    }
}
