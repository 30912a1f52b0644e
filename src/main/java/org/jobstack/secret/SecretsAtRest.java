package org.jobstack.secret;

import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.jobstack.config.StartupRefusal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps every secret column encrypted: at start-up (before the server answers) it refuses a value
 * this node cannot open and encrypts clear ones left by an earlier version; {@link #rotate}
 * re-encrypts everything under the primary key and retires the others.
 */
@Service
public class SecretsAtRest implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(SecretsAtRest.class);

    private final SecretBox box;
    private final SealedColumns columns;
    private final EncryptionKeyStore keys;
    private final TransactionTemplate transaction;
    private final Clock clock;

    SecretsAtRest(
            SecretBox box,
            SealedColumns columns,
            EncryptionKeyStore keys,
            TransactionTemplate transaction,
            Clock clock) {
        this.box = box;
        this.columns = columns;
        this.keys = keys;
        this.transaction = transaction;
        this.clock = clock;
    }

    @Override
    public void afterSingletonsInstantiated() {
        List<SealedColumns.Value> values = columns.values();
        TreeSet<String> unknown = new TreeSet<>();
        values.stream()
                .map(v -> SecretBox.keyId(v.value()))
                .flatMap(Optional::stream)
                .filter(id -> !box.has(id))
                .forEach(unknown::add);
        if (!unknown.isEmpty()) {
            throw new StartupRefusal(
                    "Secrets in the database are encrypted with key " + String.join(", ", unknown)
                            + ", which this node (key " + box.primary().id() + ") does not have.",
                    "Give this node the key the other nodes use (docs/security.md, Keys).");
        }
        int encrypted = transaction.execute(status -> reseal(values, v -> !SecretBox.isSealed(v.value())));
        if (encrypted > 0) {
            log.atInfo().addKeyValue("count", encrypted).log("Encrypted {} secrets stored in clear", encrypted);
        }
    }

    /** Re-encrypts every secret under this node's primary key, then retires every other key. */
    @Transactional
    public Rotation rotate() {
        String primary = box.primary().id();
        int resealed = reseal(
                columns.values(),
                v -> !SecretBox.keyId(v.value()).map(primary::equals).orElse(false));
        List<String> retired = keys.retireAllBut(primary, clock.instant());
        log.atInfo()
                .addKeyValue("key_id", primary)
                .addKeyValue("resealed", resealed)
                .addKeyValue("retired", retired)
                .log("Secrets re-encrypted with key {}; keys retired: {}", primary, retired);
        return new Rotation(primary, resealed, retired);
    }

    private int reseal(List<SealedColumns.Value> values, Predicate<SealedColumns.Value> needs) {
        int count = 0;
        for (SealedColumns.Value v : values) {
            if (needs.test(v) && columns.rewrite(v, box.seal(v.column().purpose(), plain(v)))) {
                count++;
            }
        }
        return count;
    }

    private byte[] plain(SealedColumns.Value v) {
        return SecretBox.isSealed(v.value())
                ? box.open(v.column().purpose(), v.value())
                : Base64.getDecoder().decode(v.value());
    }

    /** What a rotation did: the key now encrypting every secret, how many it re-encrypted, the keys retired. */
    public record Rotation(String keyId, int resealed, List<String> retired) {}
}
