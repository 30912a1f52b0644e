package org.jobstack.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;

/** config/application.yml documents the defaults: binding it must change nothing. */
class ConfigurationDefaultsTest {

    @Test
    void should_document_the_real_defaults_in_config_application_yml() throws Exception {
        PropertySource<?> documented = new YamlPropertySourceLoader()
                .load("documented", new FileSystemResource(Path.of("config/application.yml")))
                .get(0);

        JobstackProperties fromFile = bind(ConfigurationPropertySources.from(documented));
        JobstackProperties defaults = bind(List.of(new MapConfigurationPropertySource(Map.of())));

        assertThat(fromFile).isEqualTo(defaults);
        assertThat(documented.getProperty("server.port")).isEqualTo(8080);
        assertThat(documented.getProperty("spring.datasource.username")).isEqualTo("sa");
    }

    /** Binds as the application does: same conversion service, defaults from {@code @DefaultValue}. */
    private static JobstackProperties bind(Iterable<ConfigurationPropertySource> sources) {
        return new Binder(sources, null, ApplicationConversionService.getSharedInstance())
                .bindOrCreate("jobstack", JobstackProperties.class);
    }
}
