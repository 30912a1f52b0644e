package org.jobstack.bench;

import org.jobstack.JobstackApplication;
import org.jobstack.config.PrivateDataDirectoryPreparer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Jobstack server in a harness's own JVM, started as the server's main starts it: its data
 * folder made private before anything writes into it. Arguments are command-line ones ({@code
 * --name=value}), which override {@code config/application.yml} as default properties would not.
 */
final class InProcessServer {

    private InProcessServer() {}

    static ConfigurableApplicationContext start(String... args) {
        return new SpringApplicationBuilder(JobstackApplication.class)
                .listeners(new PrivateDataDirectoryPreparer())
                .run(args);
    }
}
