package org.jobstack.cli;

import java.util.List;

/**
 * Blocks of shell commands as one bash script, run in order by one shell so that the variables a
 * block sets are there for the next, with {@code set -euo pipefail}: the first failing command ends
 * the run. Marker lines frame each block's output (on stdout and stderr), to tell what each block
 * printed and which one failed.
 */
final class WalkthroughScript {

    private final List<String> blocks;

    WalkthroughScript(List<String> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    String text() {
        StringBuilder script = new StringBuilder("set -euo pipefail\n");
        for (int i = 0; i < blocks.size(); i++) {
            script.append("echo '")
                    .append(begin(i))
                    .append("'; echo '")
                    .append(begin(i))
                    .append("' >&2\n");
            script.append(blocks.get(i));
            if (!blocks.get(i).endsWith("\n")) {
                script.append('\n');
            }
            script.append("echo '").append(end(i)).append("'\n");
        }
        return script.toString();
    }

    /** The block whose commands contain {@code command} (the first one). */
    int blockWith(String command) {
        for (int i = 0; i < blocks.size(); i++) {
            if (blocks.get(i).contains(command)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no block runs " + command + " in " + blocks);
    }

    String block(int i) {
        return blocks.get(i);
    }

    /** What block {@code i} printed to {@code stream} (to its end when the block did not finish). */
    String output(String stream, int i) {
        int start = stream.indexOf(begin(i) + "\n");
        if (start < 0) {
            return "";
        }
        start += begin(i).length() + 1;
        int end = stream.indexOf(end(i) + "\n", start);
        int next = i + 1 < blocks.size() ? stream.indexOf(begin(i + 1) + "\n", start) : -1;
        int stop = end >= 0 ? end : next >= 0 ? next : stream.length();
        return stream.substring(start, stop);
    }

    /** The first block that did not run to its end, or -1 when every block did. */
    int firstUnfinished(String stdout) {
        for (int i = 0; i < blocks.size(); i++) {
            if (!stdout.contains(end(i) + "\n")) {
                return i;
            }
        }
        return -1;
    }

    private static String begin(int i) {
        return "@@ walkthrough block " + i + " begins";
    }

    private static String end(int i) {
        return "@@ walkthrough block " + i + " ended";
    }
}
