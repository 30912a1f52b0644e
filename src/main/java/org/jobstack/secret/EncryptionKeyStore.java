package org.jobstack.secret;

import static org.jobstack.common.Sql.ts;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jobstack.common.Sql;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The ids of the keys that encrypted secrets in this database ({@code encryption_key}); never a key. */
@Repository
class EncryptionKeyStore {

    private final JdbcClient jdbc;

    EncryptionKeyStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Ids of the keys not retired, oldest first. */
    List<String> current() {
        return jdbc.sql("SELECT id FROM encryption_key WHERE retired_at IS NULL ORDER BY added_at, id")
                .query(String.class)
                .list();
    }

    Optional<Instant> retiredAt(String id) {
        return jdbc.sql("SELECT retired_at FROM encryption_key WHERE id = ? AND retired_at IS NOT NULL")
                .param(id)
                .query((rs, n) -> Sql.instant(rs, "retired_at"))
                .optional();
    }

    /** Adds the key unless known; true if this call added it. */
    boolean add(String id, Instant now) {
        try {
            return jdbc.sql("INSERT INTO encryption_key (id, added_at) VALUES (?, ?)")
                            .params(id, ts(now))
                            .update()
                    == 1;
        } catch (DuplicateKeyException known) {
            return false;
        }
    }

    void remove(String id) {
        jdbc.sql("DELETE FROM encryption_key WHERE id = ?").param(id).update();
    }

    /** Retires every current key but {@code kept}; returns the ids retired. */
    List<String> retireAllBut(String kept, Instant now) {
        List<String> retired = current().stream().filter(id -> !id.equals(kept)).toList();
        for (String id : retired) {
            jdbc.sql("UPDATE encryption_key SET retired_at = ? WHERE id = ?")
                    .params(ts(now), id)
                    .update();
        }
        return retired;
    }
}
