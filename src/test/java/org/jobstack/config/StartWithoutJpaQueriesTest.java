package org.jobstack.config;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.persistence.EntityManagerFactory;
import org.hibernate.SessionFactory;
import org.jobstack.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * A start runs no JPA query (HQL or JPQL): the first one makes Hibernate set up its query parser,
 * about 5 % of a start's main thread, which a start that creates its default instance and looks
 * for apps to import does not need. Queries wait for the first request that asks for one.
 */
@TestPropertySource(properties = "spring.jpa.properties.hibernate.generate_statistics=true")
class StartWithoutJpaQueriesTest extends IntegrationTest {

    @Autowired
    EntityManagerFactory entityManagers;

    @Test
    void should_create_the_default_instance_and_look_for_legacy_apps_without_a_jpa_query() {
        var statistics = entityManagers.unwrap(SessionFactory.class).getStatistics();

        assertThat(api.admin("GET", "/instances/localhost", null).status())
                .as("the default instance was created at start")
                .isEqualTo(200);
        assertThat(statistics.getQueries()).as("queries run since the start").isEmpty();
    }
}
