package org.jobstack.instance;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.Base64;
import org.jobstack.secret.SecretBox;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The instance's token secret, base64 in the entity, encrypted in {@code instance.token_secret}. A
 * clear value (left by an earlier version until the next start encrypts it) is read as it is.
 */
@Converter
class TokenSecretConverter implements AttributeConverter<String, String> {

    static final String PURPOSE = "instance.token_secret";

    private final ObjectProvider<SecretBox> box;

    TokenSecretConverter(ObjectProvider<SecretBox> box) {
        this.box = box;
    }

    @Override
    public String convertToDatabaseColumn(String base64) {
        return base64 == null
                ? null
                : box.getObject().seal(PURPOSE, Base64.getDecoder().decode(base64));
    }

    @Override
    public String convertToEntityAttribute(String stored) {
        if (stored == null || !SecretBox.isSealed(stored)) {
            return stored;
        }
        return Base64.getEncoder().encodeToString(box.getObject().open(PURPOSE, stored));
    }
}
