package org.jobstack.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** AES-GCM sealing of stored secrets, with hostile stored values. */
class SecretBoxTest {

    private static final EncryptionKey KEY = EncryptionKey.generate();
    private static final SecretBox BOX = new SecretBox(KEY, List.of());

    @Property
    void should_open_what_it_sealed_and_never_repeat_a_sealed_value(@ForAll @Size(max = 600) byte[] plain) {
        String sealed = BOX.seal("instance.token_secret", plain);

        assertThat(sealed).startsWith("enc:v1:" + KEY.id() + ":");
        assertThat(BOX.open("instance.token_secret", sealed)).isEqualTo(plain);
        assertThat(BOX.seal("instance.token_secret", plain)).isNotEqualTo(sealed);
    }

    @Property
    void should_refuse_any_change_to_a_sealed_value(
            @ForAll @Size(min = 1, max = 100) byte[] plain, @ForAll @IntRange(min = 0, max = 10_000) int where) {
        String sealed = BOX.seal("p", plain);
        String prefix = "enc:v1:" + KEY.id() + ":";
        byte[] data = Base64.getUrlDecoder().decode(sealed.substring(prefix.length()));
        data[where % data.length] ^= 1;
        String tampered = prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(data);

        assertThatThrownBy(() -> BOX.open("p", tampered)).isInstanceOf(SecretBox.UnreadableSecret.class);
    }

    @Property
    void should_refuse_a_value_sealed_for_another_column_or_with_another_key(@ForAll byte[] plain) {
        String sealed = BOX.seal("instance.token_secret", plain);
        SecretBox other = new SecretBox(EncryptionKey.generate(), List.of());

        assertThatThrownBy(() -> BOX.open("other.column", sealed))
                .isInstanceOf(SecretBox.UnreadableSecret.class)
                .hasMessageContaining("authentication failed");
        assertThatThrownBy(() -> other.open("instance.token_secret", sealed))
                .isInstanceOf(SecretBox.UnreadableSecret.class)
                .hasMessageContaining("which this node does not have");
    }

    @Property
    void should_refuse_hostile_stored_values_with_its_own_error_only(@ForAll("hostile") String stored) {
        assertThatThrownBy(() -> BOX.open("p", stored)).isInstanceOf(SecretBox.UnreadableSecret.class);
    }

    @Property
    void should_open_with_a_previous_key_during_a_rotation(@ForAll byte[] plain) {
        String sealedWithOld = BOX.seal("p", plain);
        SecretBox rotating = new SecretBox(EncryptionKey.generate(), List.of(KEY));

        assertThat(rotating.open("p", sealedWithOld)).isEqualTo(plain);
        assertThat(SecretBox.keyId(rotating.seal("p", plain)))
                .contains(rotating.primary().id());
    }

    @Provide
    Arbitrary<String> hostile() {
        Arbitrary<String> any = Arbitraries.strings().ofMaxLength(200);
        return Arbitraries.oneOf(
                any,
                any.map(s -> "enc:v1:" + s),
                any.map(s -> "enc:v1:" + KEY.id() + ":" + s),
                Arbitraries.strings()
                        .withChars("ABCDEFabcdef0123456789-_")
                        .ofMaxLength(80)
                        .map(s -> "enc:v1:" + KEY.id() + ":" + s));
    }
}
