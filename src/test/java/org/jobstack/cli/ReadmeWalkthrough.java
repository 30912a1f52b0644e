package org.jobstack.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The commands of the README's "A 5-minute walkthrough": its {@code ```bash} blocks in order, from
 * its heading to the next section ({@code ### The CLI}).
 */
record ReadmeWalkthrough(List<String> blocks) {

    static final String HEADING = "## A 5-minute walkthrough";
    static final String NEXT_SECTION = "### The CLI";

    private static final Pattern BASH_BLOCK = Pattern.compile("(?ms)^```bash\\n(.*?)^```$");

    static ReadmeWalkthrough read(Path readme) throws IOException {
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        int start = text.indexOf(HEADING);
        int end = text.indexOf(NEXT_SECTION, Math.max(start, 0));
        if (start < 0 || end < 0) {
            throw new IllegalStateException(
                    readme + " has no section from '" + HEADING + "' to '" + NEXT_SECTION + "'");
        }
        List<String> blocks = new ArrayList<>();
        Matcher block = BASH_BLOCK.matcher(text.substring(start, end));
        while (block.find()) {
            blocks.add(block.group(1));
        }
        return new ReadmeWalkthrough(List.copyOf(blocks));
    }

    /** The blocks with each of the README's ports (keys), as a whole number, replaced by its value. */
    ReadmeWalkthrough withPorts(Map<Integer, Integer> ports) {
        List<String> replaced = new ArrayList<>();
        for (String block : blocks) {
            for (Map.Entry<Integer, Integer> port : ports.entrySet()) {
                block = block.replaceAll("\\b" + port.getKey() + "\\b", String.valueOf(port.getValue()));
            }
            replaced.add(block);
        }
        return new ReadmeWalkthrough(List.copyOf(replaced));
    }
}
