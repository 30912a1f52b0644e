package org.jobstack.secret;

import java.time.Clock;
import org.jobstack.config.DataDirectory;
import org.jobstack.config.JobstackProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class SecretsConfig {

    /** This node's keys, checked against the database (see {@link KeyRingLoader}). */
    @Bean
    SecretBox secretBox(
            JobstackProperties properties, DataDirectory dataDirectory, EncryptionKeyStore keys, Clock clock) {
        return new KeyRingLoader(properties.secrets(), dataDirectory, keys, clock).load();
    }
}
