package org.jobstack.floor;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;

/**
 * The floor: Jobstack's server stack (Spring MVC, Security, Data JPA with Hibernate, Flyway,
 * Actuator, H2 on a file) with nearly no application code. One JPA entity that nothing queries
 * ({@link Instance}), a bearer token ({@link SecurityConfig}) and one route, {@code POST
 * /jobs/queue/:worker}, that commits a job row before answering ({@link QueueController}). It
 * measures how fast the stack alone starts and how its enqueue compares with its health check.
 * Like Jobstack, it has no generated user and password (no UserDetailsService).
 *
 * <p>Its settings are its own {@code application.yml} only: started from Jobstack's project folder
 * (as {@code bench/startup.sh} does), Spring would otherwise also read Jobstack's {@code
 * config/application.yml} there, whose settings name Jobstack's classes. {@code
 * --spring.config.location=…} on the command line still wins.
 */
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
public class FloorApplication {

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(FloorApplication.class);
        app.setDefaultProperties(Map.of("spring.config.location", "classpath:/"));
        app.run(args);
    }
}
