package org.jobstack.app;

import java.util.Locale;

public enum AppState {
    INSTALLING,
    UPGRADING,
    INSTALLED,
    READY,
    ERRORED;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
