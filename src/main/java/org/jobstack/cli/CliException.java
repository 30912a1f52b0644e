package org.jobstack.cli;

/** A failure to report as one line on stderr, with the process exit code. */
class CliException extends RuntimeException {

    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
