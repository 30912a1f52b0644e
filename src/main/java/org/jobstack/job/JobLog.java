package org.jobstack.job;

/** Where an attempt's log lines go. Safe to call from several threads (stdout and stderr readers). */
public interface JobLog {

    String STDOUT = "stdout";
    String STDERR = "stderr";
    /** Lines written by Jobstack itself about the attempt. */
    String JOBSTACK = "jobstack";

    void append(String stream, String level, String message);
}
