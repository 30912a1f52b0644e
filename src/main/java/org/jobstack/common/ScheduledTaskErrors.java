package org.jobstack.common;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.task.ThreadPoolTaskSchedulerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;

/**
 * How a failed {@code @Scheduled} task is logged: the database being away (it retries at its next
 * run anyway) is one warning line, not a stack trace every few seconds; anything else is an error
 * with its stack trace.
 */
@Configuration(proxyBeanMethods = false)
class ScheduledTaskErrors {

    private static final Logger log = LoggerFactory.getLogger(ScheduledTaskErrors.class);

    @Bean
    ThreadPoolTaskSchedulerCustomizer scheduledTaskErrorHandler() {
        return scheduler -> scheduler.setErrorHandler(ScheduledTaskErrors::handle);
    }

    static void handle(Throwable failure) {
        if (databaseAway(failure)) {
            log.atWarn().log("Scheduled task skipped, the database did not answer: {}", failure.getMessage());
        } else {
            log.atError().setCause(failure).log("Scheduled task failed");
        }
    }

    private static boolean databaseAway(Throwable failure) {
        return DatabaseFailures.unavailable(failure)
                || failure instanceof TransientDataAccessException
                || failure instanceof RecoverableDataAccessException;
    }
}
