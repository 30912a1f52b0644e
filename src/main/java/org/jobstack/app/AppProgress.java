package org.jobstack.app;

/** Told each state an install or update goes through (the SSE stream of {@code POST /apps/:slug}). */
@FunctionalInterface
public interface AppProgress {

    AppProgress NONE = app -> {};

    void reached(App app);
}
