package org.jobstack.trigger;

import java.io.IOException;
import org.jobstack.support.OnPostgres;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

class PostgresTriggerBehaviourTest extends AbstractTriggerBehaviourTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) throws IOException {
        OnPostgres.register(registry);
    }
}
