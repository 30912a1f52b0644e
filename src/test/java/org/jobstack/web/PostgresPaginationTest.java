package org.jobstack.web;

import java.io.IOException;
import org.jobstack.support.OnPostgres;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

class PostgresPaginationTest extends AbstractPaginationTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) throws IOException {
        OnPostgres.register(registry);
    }

    /** More than a PostgreSQL statement may bind (65 535), as reading them all in one query would. */
    @Override
    int manyTriggers() {
        return 70_000;
    }
}
