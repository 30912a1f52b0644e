package org.jobstack.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * How much of a listing a command prints: the first {@code --limit} items (one page asked for that
 * size), or every item page after page with {@code --all}. A listing of a large table answers as
 * fast as a small one unless {@code --all} is asked for.
 */
class ListingOptions {

    static final int DEFAULT_LIMIT = 100;

    /** The largest page every listing route accepts ({@code page[limit]}). */
    static final int LARGEST_PAGE = 1000;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    private int limit = DEFAULT_LIMIT;

    @Option(names = "--all", description = "Print every item, following the listing page after page")
    boolean all;

    @Option(names = "--limit", paramLabel = "N", description = "Print at most N items (default: " + DEFAULT_LIMIT + ")")
    void limit(int n) {
        if (n < 1) {
            throw new ParameterException(spec.commandLine(), "--limit must be at least 1, got " + n);
        }
        limit = n;
    }

    /** How many items to print: every one with {@code --all}. */
    int max() {
        return all ? Integer.MAX_VALUE : limit;
    }

    /** The page size to ask the server for: the limit when one page holds it, else the largest page. */
    int pageSize() {
        return all ? LARGEST_PAGE : Math.min(limit, LARGEST_PAGE);
    }

    /** Tells, on the error stream, that the listing went on beyond what was printed. */
    void tellTruncated() {
        spec.commandLine().getErr().printf("(the first %d shown; --limit N for more, --all for every one)%n", limit);
    }
}
