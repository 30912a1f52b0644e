package org.jobstack.app;

/** An app's files cannot be had on this node: none stored, their version gone, or corrupted. */
public class AppFilesUnavailable extends RuntimeException {

    public enum Reason {
        /** The app has no stored files (an install from before they were kept in the database, lost). */
        NONE,
        /** The version asked for is no longer stored: the app changed meanwhile. */
        GONE,
        /** The stored bytes do not match their content hash, or cannot be unpacked. */
        CORRUPTED
    }

    private final Reason reason;

    AppFilesUnavailable(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
