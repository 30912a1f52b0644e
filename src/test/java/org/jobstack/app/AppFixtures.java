package org.jobstack.app;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import org.jobstack.common.Ids;
import org.jobstack.common.Sql;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Rows for tests of the app tables on a bare database: an instance, an app pointing at versions. */
final class AppFixtures {

    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    private AppFixtures() {}

    static void instance(JdbcClient jdbc, String domain) {
        jdbc.sql("INSERT INTO instance (domain, locale, stack_url, token_secret, created_at, updated_at) "
                        + "VALUES (?, 'en', 'http://a.test/', 'x', ?, ?)")
                .param(domain)
                .param(Sql.ts(T0))
                .param(Sql.ts(T0))
                .update();
    }

    /** A webapp row running {@code current}, with {@code previous} (may be null) kept; its id. */
    static String app(JdbcClient jdbc, String domain, String slug, StoredVersion current, StoredVersion previous) {
        String id = Ids.newId();
        jdbc.sql("INSERT INTO app (id, domain, kind, slug, state, version, source, manifest, version_id, version_hash,"
                        + " previous_version_id, created_at, updated_at)"
                        + " VALUES (?, ?, 'webapp', ?, 'ready', '1.0.0', 'file:///x', '{}', ?, ?, ?, ?, ?)")
                .param(id)
                .param(domain)
                .param(slug)
                .param(current.id())
                .param(current.contentHash())
                .param(previous == null ? null : previous.id())
                .param(Sql.ts(T0))
                .param(Sql.ts(T0))
                .update();
        return id;
    }

    static String sha256(byte[] content) {
        MessageDigest digest = VersionArchive.sha256();
        return HexFormat.of().formatHex(digest.digest(content));
    }
}
