package org.jobstack.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.jobstack.config.JobstackProperties;
import org.jobstack.config.StartupRefusal;
import org.jobstack.support.TestProperties;
import org.junit.jupiter.api.Test;

/** Worker settings over the built-in defaults, and the settings refused with the name of the setting. */
class WorkerRegistryTest {

    private static final List<JobRunner> RUNNERS =
            List.of(runner("service", true), runner("konnector", false), runner("log", false));

    @Test
    void should_have_no_standby_processes_unless_asked() {
        WorkerRegistry registry = registry(Map.of());

        assertThat(registry.all()).allSatisfy(w -> assertThat(w.standby()).isZero());
    }

    @Test
    void should_give_the_service_worker_the_standby_processes_asked_for() {
        WorkerRegistry registry = registry(Map.of("jobstack.jobs.workers.service.standby", "3"));

        assertThat(registry.find("service").orElseThrow().standby()).isEqualTo(3);
    }

    @Test
    void should_refuse_standby_processes_for_a_worker_that_cannot_use_them() {
        assertThatThrownBy(() -> registry(Map.of("jobstack.jobs.workers.konnector.standby", "2")))
                .isInstanceOf(StartupRefusal.class)
                .hasMessageStartingWith("jobstack.jobs.workers.konnector.standby:")
                .hasMessageContaining("[service]");
        assertThatThrownBy(() -> registry(Map.of("jobstack.jobs.workers.service.standby", "-1")))
                .hasMessageStartingWith("jobstack.jobs.workers.service.standby:");
    }

    @Test
    void should_name_an_unknown_worker() {
        assertThatThrownBy(() -> registry(Map.of("jobstack.jobs.workers.sevrice.concurrency", "2")))
                .isInstanceOf(StartupRefusal.class)
                .hasMessageStartingWith("jobstack.jobs.workers.sevrice: unknown worker");
    }

    private static WorkerRegistry registry(Map<String, String> settings) {
        JobstackProperties properties = TestProperties.of(settings);
        return new WorkerRegistry(properties, RUNNERS);
    }

    private static JobRunner runner(String worker, boolean standby) {
        return new JobRunner() {
            @Override
            public String worker() {
                return worker;
            }

            @Override
            public void run(Attempt attempt) {}

            @Override
            public boolean hasStandby() {
                return standby;
            }
        };
    }
}
