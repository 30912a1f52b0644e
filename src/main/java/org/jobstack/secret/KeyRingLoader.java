package org.jobstack.secret;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.jobstack.config.DataDirectory;
import org.jobstack.config.JobstackProperties;
import org.jobstack.config.PrivateFiles;
import org.jobstack.config.SecretFiles;
import org.jobstack.config.StartupRefusal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds this node's keys and checks them against the database before anything reads a secret: the
 * configured key, or {@code <data-dir>/secret-key} (generated only while the database has no key),
 * plus the previous keys of a rotation. A node that lacks a key the database uses, or whose key was
 * retired, refuses to start: it never falls back to another key or to clear text.
 */
final class KeyRingLoader {

    static final String KEY_FILE = "secret-key";
    private static final Logger log = LoggerFactory.getLogger(KeyRingLoader.class);
    private static final String GIVE_THE_SAME_KEY = "Give every node the same key: copy the first node's "
            + "<data-dir>/" + KEY_FILE + ", or set jobstack.secrets.key-file or JOBSTACK_SECRETS_KEY on every node"
            + " (docs/security.md, Keys).";

    private final JobstackProperties.Secrets settings;
    private final DataDirectory dataDirectory;
    private final EncryptionKeyStore store;
    private final Clock clock;

    KeyRingLoader(
            JobstackProperties.Secrets settings, DataDirectory dataDirectory, EncryptionKeyStore store, Clock clock) {
        this.settings = settings;
        this.dataDirectory = dataDirectory;
        this.store = store;
        this.clock = clock;
    }

    SecretBox load() {
        EncryptionKey primary = configured();
        List<EncryptionKey> previous = new ArrayList<>();
        List<String> given = settings.previousKeys() == null ? List.of() : settings.previousKeys();
        for (int i = 0; i < given.size(); i++) {
            previous.add(parse(given.get(i), "jobstack.secrets.previous-keys[" + i + "]"));
        }
        SecretBox box = new SecretBox(primary, previous);
        store.retiredAt(primary.id()).ifPresent(at -> {
            throw new StartupRefusal(
                    "This node's secret key " + primary.id() + " was retired by a rotation at " + at + ".",
                    "Give this node the current key (the one the rotation made primary).");
        });
        boolean added = store.add(primary.id(), clock.instant());
        List<String> missing =
                store.current().stream().filter(id -> !box.has(id)).toList();
        if (!missing.isEmpty()) {
            if (added) {
                store.remove(primary.id());
            }
            throw new StartupRefusal(
                    "This node's secret key " + primary.id() + " cannot read the secrets in the database: they are"
                            + " encrypted with key " + String.join(", ", missing) + ".",
                    GIVE_THE_SAME_KEY);
        }
        log.atInfo()
                .addKeyValue("key_id", primary.id())
                .addKeyValue("previous_keys", previous.size())
                .log("Secrets at rest encrypted with key {}", primary.id());
        return box;
    }

    private EncryptionKey configured() {
        if (settings.key() != null && !settings.key().isBlank()) {
            return parse(settings.key(), "jobstack.secrets.key");
        }
        if (settings.keyFile() != null) {
            Path file = settings.keyFile().toAbsolutePath();
            if (!Files.isRegularFile(file)) {
                throw new StartupRefusal(
                        "jobstack.secrets.key-file " + file + " does not exist.",
                        "Point it at the key file every node shares (make one with: jobstack secrets new-key).");
            }
            return read(file, "jobstack.secrets.key-file " + file);
        }
        Path file = dataDirectory.resolve(KEY_FILE);
        if (Files.exists(file)) {
            return read(file, file.toString());
        }
        List<String> current = store.current();
        if (!current.isEmpty()) {
            throw new StartupRefusal(
                    "This node has no secret key (" + file + " is missing), and the database holds secrets"
                            + " encrypted with key " + String.join(", ", current) + ".",
                    GIVE_THE_SAME_KEY + " A lost key cannot be recovered: restore it from the backup.");
        }
        String generated =
                SecretFiles.readOrCreate(file, () -> EncryptionKey.generate().base64());
        log.atInfo().addKeyValue("file", file).log("Secret key generated into {}", file);
        return parse(generated, file.toString());
    }

    private static EncryptionKey read(Path file, String source) {
        PrivateFiles.openToOthers(file).ifPresent(permissions -> {
            throw new StartupRefusal(
                    "The secret key " + file + " can be read by other users (" + permissions + ").",
                    "Run: chmod 600 " + file);
        });
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), source);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static EncryptionKey parse(String base64, String source) {
        try {
            return EncryptionKey.parse(base64, source);
        } catch (IllegalArgumentException e) {
            throw new StartupRefusal(e.getMessage() + ".", "Make a key with: jobstack secrets new-key");
        }
    }
}
