package org.jobstack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ArchiveTrainingTest {

    @Test
    void should_run_every_listing_to_its_end_against_the_stand_in_server() throws Exception {
        assertThat(ArchiveTraining.train())
                .as("a command that fails early records only its start in the archive")
                .isZero();
    }
}
