package org.jobstack;

import org.jobstack.config.PrivateDataDirectoryPreparer;
import org.jobstack.config.StartupCompilation;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan
@EnableScheduling
public class JobstackApplication {

    public static void serve(String[] args) {
        SpringApplication application = new SpringApplication(JobstackApplication.class);
        application.addListeners(new PrivateDataDirectoryPreparer(), new StartupCompilation());
        application.run(args);
    }
}
