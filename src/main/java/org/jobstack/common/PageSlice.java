package org.jobstack.common;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a listing and where the next one starts ({@code next} null when none follows).
 * Stores are asked for one row more than the page: that row says whether more follow.
 */
public record PageSlice<T>(List<T> rows, PageCursor next) {

    /** The first {@code limit} of {@code fetched} (read with a limit of {@code limit + 1}), keyed by {@code key}. */
    public static <T> PageSlice<T> of(List<T> fetched, int limit, Function<T, PageCursor> key) {
        if (fetched.size() <= limit) {
            return new PageSlice<>(fetched, null);
        }
        List<T> rows = fetched.subList(0, limit);
        return new PageSlice<>(rows, key.apply(rows.get(limit - 1)));
    }

    public <R> PageSlice<R> map(Function<T, R> mapper) {
        return new PageSlice<>(rows.stream().map(mapper).toList(), next);
    }
}
