package org.jobstack.exec;

/** Names of the usual POSIX signals, as Go prints them ({@code signal: killed}). */
final class Signals {

    private Signals() {}

    static String name(int signal) {
        return switch (signal) {
            case 1 -> "hangup";
            case 2 -> "interrupt";
            case 3 -> "quit";
            case 6 -> "aborted";
            case 9 -> "killed";
            case 11 -> "segmentation fault";
            case 13 -> "broken pipe";
            case 15 -> "terminated";
            case 24 -> "CPU time limit exceeded (jobstack.exec.limits.cpu-time)";
            case 25 -> "file size limit exceeded";
            default -> "signal " + signal;
        };
    }
}
