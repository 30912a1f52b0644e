package org.jobstack.instance;

import org.jobstack.common.Problem;
import org.jobstack.config.JobstackProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;

/** Creates the configured default instance ({@code localhost}) so a single-tenant install needs no setup. */
@Component
@Order(0)
class DefaultInstance implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DefaultInstance.class);

    private final InstanceService instances;
    private final JobstackProperties.Instances settings;

    DefaultInstance(InstanceService instances, JobstackProperties properties) {
        this.instances = instances;
        this.settings = properties.instances();
    }

    @Override
    public void run(ApplicationArguments args) {
        String domain = settings.defaultDomain();
        if (domain == null || domain.isBlank()) {
            return;
        }
        try {
            instances.create(domain, settings.defaultLocale(), settings.defaultStackUrl(), null);
            log.atInfo().addKeyValue("domain", domain).log("Created default instance {}", domain);
        } catch (Problem | DataIntegrityViolationException alreadyThere) {
            if (alreadyThere instanceof Problem p && p.kind() != Problem.Kind.CONFLICT) {
                throw p;
            }
        }
    }
}
