package org.jobstack.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's rule for migrations, so that nodes of two consecutive versions can share the
 * database while an upgrade rolls: from V8 on (the first written under it), a migration only
 * adds. Dropping or renaming comes one version after the code stopped using the thing, and then
 * needs an entry in {@link #CONTRACTIONS} saying which version stopped using it.
 */
class MigrationRulesTest {

    private static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");
    private static final int FIRST_UNDER_THE_RULE = 8;
    /** Migrations allowed to contract (drop what an earlier version stopped using); none so far. */
    private static final List<String> CONTRACTIONS = List.of();
    /** Statements that retype a column only to widen it: what the previous version writes still fits. */
    private static final List<String> WIDENINGS =
            List.of("ALTER TABLE INSTANCE ALTER COLUMN TOKEN_SECRET SET DATA TYPE VARCHAR(1024)");

    private static final List<Pattern> FORBIDDEN = List.of(
            Pattern.compile("\\bDROP\\s+(TABLE|COLUMN|CONSTRAINT)\\b"),
            Pattern.compile("\\bRENAME\\b"),
            Pattern.compile("\\bALTER\\s+COLUMN\\b.*\\b(TYPE|SET\\s+DATA\\s+TYPE|SET\\s+NOT\\s+NULL)\\b"),
            Pattern.compile("\\bADD\\s+COLUMN\\b(?:(?!\\bDEFAULT\\b).)*\\bNOT\\s+NULL\\b"));

    /**
     * An index may be replaced (dropped and created again under its name, e.g. with one more
     * column): queries of the previous version read the same rows, only the plan changes.
     */
    private static final Pattern DROP_INDEX = Pattern.compile("^DROP INDEX (\\w+)$");

    @Test
    void should_only_add_to_the_schema_from_the_first_migration_under_the_rule() throws IOException {
        List<Path> checked = migrations()
                .filter(p -> version(p) >= FIRST_UNDER_THE_RULE)
                .filter(p -> !CONTRACTIONS.contains(p.getFileName().toString()))
                .toList();

        assertThat(checked).isNotEmpty();
        for (Path migration : checked) {
            for (String statement : statements(migration)) {
                if (WIDENINGS.contains(statement)) {
                    continue;
                }
                Matcher dropped = DROP_INDEX.matcher(statement);
                if (dropped.find()) {
                    assertThat(statements(migration))
                            .as(
                                    "%s drops index %s: it must create it again (wider) in the same migration",
                                    migration.getFileName(), dropped.group(1))
                            .anyMatch(s -> s.startsWith("CREATE INDEX " + dropped.group(1) + " "));
                }
                for (Pattern forbidden : FORBIDDEN) {
                    assertThat(forbidden.matcher(statement).find())
                            .as("%s must only add (README, Several nodes): %s", migration.getFileName(), statement)
                            .isFalse();
                }
            }
        }
    }

    @Test
    void should_catch_what_the_rule_forbids() {
        for (String bad : List.of(
                "ALTER TABLE job DROP COLUMN error",
                "ALTER TABLE job RENAME COLUMN error TO reason",
                "ALTER TABLE job ALTER COLUMN error SET NOT NULL",
                "ALTER TABLE job ADD COLUMN x INTEGER NOT NULL",
                "DROP TABLE job_log",
                "ALTER TABLE job DROP CONSTRAINT job_domain_fkey")) {
            assertThat(FORBIDDEN.stream()
                            .anyMatch(
                                    p -> p.matcher(bad.toUpperCase(Locale.ROOT)).find()))
                    .as(bad)
                    .isTrue();
        }
        assertThat(FORBIDDEN.stream()
                        .anyMatch(p -> p.matcher("ALTER TABLE NODE ADD COLUMN DRAINING BOOLEAN DEFAULT FALSE NOT NULL")
                                .find()))
                .isFalse();
    }

    private static Stream<Path> migrations() throws IOException {
        return Files.list(MIGRATIONS)
                .filter(p -> p.getFileName().toString().matches("V\\d+__.*\\.sql"))
                .sorted();
    }

    private static int version(Path migration) {
        Matcher m = Pattern.compile("V(\\d+)__").matcher(migration.getFileName().toString());
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    private static List<String> statements(Path migration) throws IOException {
        String sql = Files.readString(migration).replaceAll("--[^\\n]*", " ").toUpperCase(Locale.ROOT);
        return Stream.of(sql.split(";"))
                .map(s -> s.replaceAll("\\s+", " ").strip())
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
