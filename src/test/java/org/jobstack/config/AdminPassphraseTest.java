package org.jobstack.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashMap;
import java.util.Set;
import org.jobstack.support.InfoLogs;
import org.jobstack.support.TestProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith({OutputCaptureExtension.class, InfoLogs.class})
class AdminPassphraseTest {

    @TempDir
    Path dir;

    @Test
    void should_generate_an_owner_only_passphrase_file_once_and_reuse_it(CapturedOutput output) throws Exception {
        JobstackProperties properties = properties(null);

        AdminPassphrase first = new AdminPassphrase(properties, new DataDirectory(properties));
        Path file = dir.resolve(AdminPassphrase.FILE_NAME);
        String written = Files.readString(file).strip();
        String afterFirst = output.getAll();
        AdminPassphrase second = new AdminPassphrase(properties, new DataDirectory(properties));

        assertThat(afterFirst)
                .contains("Admin passphrase generated into " + file)
                .doesNotContain("read from");
        assertThat(output.getAll().substring(afterFirst.length())).contains("Admin passphrase read from " + file);
        assertThat(output.getAll()).doesNotContain(written);

        assertThat(Files.getPosixFilePermissions(file))
                .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        assertThat(written).hasSizeGreaterThanOrEqualTo(32);
        assertThat(first.matches(written)).isTrue();
        assertThat(second.matches(written)).isTrue();
        assertThat(first.matches(written + "x")).isFalse();
        assertThat(first.matches(null)).isFalse();
    }

    @Test
    void should_use_the_configured_passphrase_and_write_no_file() {
        JobstackProperties properties = properties("s3cret-s3cret");

        AdminPassphrase passphrase = new AdminPassphrase(properties, new DataDirectory(properties));

        assertThat(passphrase.matches("s3cret-s3cret")).isTrue();
        assertThat(dir.resolve(AdminPassphrase.FILE_NAME)).doesNotExist();
    }

    private JobstackProperties properties(String passphrase) {
        var values = new HashMap<String, String>();
        values.put("jobstack.data-dir", dir.toString());
        if (passphrase != null) {
            values.put("jobstack.admin.passphrase", passphrase);
        }
        return TestProperties.of(values);
    }
}
