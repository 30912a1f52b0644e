package org.jobstack.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * Standby processes on a PATH without {@code mkfifo}: each watches its directory for the hand-off
 * instead, and every test of {@link StandbyServiceRunTest} passes the same.
 */
@TestPropertySource(properties = "jobstack.exec.path=/nonexistent/jobstack-no-tools")
class StandbyWithoutMkfifoTest extends StandbyServiceRunTest {

    @Override
    @Test
    @Disabled("no mkfifo on this PATH: should_watch_its_directory_when_it_cannot_make_a_fifo instead")
    void should_wait_for_its_job_on_a_fifo_of_its_own() {}

    @Test
    void should_watch_its_directory_when_it_cannot_make_a_fifo() throws Exception {
        Thread.sleep(1000);
        List<Path> waiting = waitingDirectories();

        assertThat(waiting).hasSize(2);
        for (Path dir : waiting) {
            assertThat(fileNames(dir)).as("no FIFO in " + dir).isEmpty();
        }
    }
}
