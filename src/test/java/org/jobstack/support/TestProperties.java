package org.jobstack.support;

import java.util.List;
import java.util.Map;
import org.jobstack.config.JobstackProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.convert.ApplicationConversionService;

/** {@code jobstack.*} settings bound as the application binds them, defaults included, for unit tests. */
public final class TestProperties {

    private TestProperties() {}

    /** The settings with {@code values} (full names, e.g. {@code jobstack.node.id}) over the defaults. */
    public static JobstackProperties of(Map<String, String> values) {
        return new Binder(
                        List.of(new MapConfigurationPropertySource(values)),
                        null,
                        ApplicationConversionService.getSharedInstance())
                .bindOrCreate("jobstack", JobstackProperties.class);
    }
}
