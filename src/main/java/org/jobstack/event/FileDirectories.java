package org.jobstack.event;

import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.node.ObjectNode;

/**
 * The directories of each instance (id → path), learnt from the {@code io.cozy.files} events
 * the stack posts, so that a rule naming a directory id matches what happens below it.
 */
@Repository
class FileDirectories {

    static final String FILES = "io.cozy.files";

    private final JdbcClient jdbc;

    public FileDirectories(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Records what a files event says about a directory. */
    public void learn(String domain, DocumentEvent event) {
        ObjectNode doc = event.doc();
        if (!FILES.equals(event.doctype())
                || !"directory".equals(doc.path("type").asString(""))) {
            return;
        }
        String path = doc.path("path").asString("");
        if (event.verb().equals("DELETED") || doc.path("trashed").asBoolean(false) || path.isEmpty()) {
            jdbc.sql("DELETE FROM file_directory WHERE domain = ? AND id = ?")
                    .param(domain)
                    .param(event.docId())
                    .update();
            return;
        }
        if (jdbc.sql("UPDATE file_directory SET path = ? WHERE domain = ? AND id = ?")
                        .param(path)
                        .param(domain)
                        .param(event.docId())
                        .update()
                == 0) {
            try {
                jdbc.sql("INSERT INTO file_directory (domain, id, path) VALUES (?, ?, ?)")
                        .param(domain)
                        .param(event.docId())
                        .param(path)
                        .update();
            } catch (DuplicateKeyException raced) {
                learn(domain, event);
            }
        }
    }

    public Optional<String> path(String domain, String id) {
        return jdbc.sql("SELECT path FROM file_directory WHERE domain = ? AND id = ?")
                .param(domain)
                .param(id)
                .query(String.class)
                .optional();
    }
}
