package org.jobstack.trigger;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jobstack.common.GoDuration;
import org.jobstack.common.Problem;
import org.jobstack.permission.InvalidRuleException;
import org.jobstack.permission.Rule;
import org.jobstack.permission.RuleParser;
import org.jobstack.trigger.schedule.CronSchedule;
import org.jobstack.trigger.schedule.EverySchedule;
import org.jobstack.trigger.schedule.InvalidScheduleException;
import org.jobstack.trigger.schedule.Periodic;
import org.jobstack.trigger.schedule.PeriodicParser;

/** Parses a trigger's arguments for its type; every refusal names the attribute at fault. */
public final class TriggerSpecs {

    private static final Pattern RFC3339 =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})");

    private TriggerSpecs() {}

    public static TriggerType type(String written) {
        return TriggerType.of(written == null ? "" : written.strip())
                .orElseThrow(() -> Problem.invalid("type", "Unknown trigger type \"" + written + "\""));
    }

    /**
     * Parses {@code arguments}. {@code now} and {@code zone} serve the cron check that a spec
     * fires at all, and zone-less cron specs.
     */
    public static TriggerSpec parse(TriggerType type, String arguments, Instant now, ZoneId zone) {
        String args = arguments == null ? "" : arguments.strip();
        try {
            return switch (type) {
                case EVENT -> new TriggerSpec.OnEvent(eventRules(args));
                case WEBHOOK, CLIENT -> new TriggerSpec.External();
                case AT -> new TriggerSpec.At(instant(args));
                case IN -> new TriggerSpec.In(duration(args));
                case EVERY -> new TriggerSpec.Every(EverySchedule.parse(args));
                case CRON -> new TriggerSpec.Cron(CronSchedule.parse(args, zone, now));
                case HOURLY -> new TriggerSpec.Periodically(PeriodicParser.parse(Periodic.Kind.HOURLY, args));
                case DAILY -> new TriggerSpec.Periodically(PeriodicParser.parse(Periodic.Kind.DAILY, args));
                case WEEKLY -> new TriggerSpec.Periodically(PeriodicParser.parse(Periodic.Kind.WEEKLY, args));
                case MONTHLY -> new TriggerSpec.Periodically(PeriodicParser.parse(Periodic.Kind.MONTHLY, args));
            };
        } catch (InvalidRuleException e) {
            throw Problem.malformed("arguments", "Invalid @event arguments: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw Problem.malformed("arguments", "Invalid " + type.written() + " arguments: " + e.getMessage());
        }
    }

    /** The verbs a document event has; a rule naming another one could never fire. */
    private static final Set<String> DOCUMENT_VERBS = Set.of("CREATED", "UPDATED", "DELETED");

    private static List<Rule> eventRules(String args) {
        List<Rule> rules = RuleParser.parseList(args);
        for (Rule rule : rules) {
            for (String verb : rule.verbs()) {
                if (!DOCUMENT_VERBS.contains(verb)) {
                    throw new InvalidRuleException(
                            "verb " + verb + " never happens to a document (CREATED, UPDATED," + " DELETED or ALL)");
                }
            }
        }
        return rules;
    }

    /** Checks arguments without scheduling them (manifests): cron specs are evaluated in UTC from now. */
    public static TriggerSpec validate(TriggerType type, String arguments) {
        return parse(type, arguments, Instant.now(), ZoneId.of("UTC"));
    }

    private static Instant instant(String args) {
        if (!RFC3339.matcher(args).matches()) {
            throw new InvalidScheduleException("\"" + args + "\" is not an RFC 3339 time such as 2030-01-01T08:00:00Z");
        }
        try {
            return OffsetDateTime.parse(args).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidScheduleException("\"" + args + "\" is not a valid time");
        }
    }

    private static Duration duration(String args) {
        return GoDuration.parse(args);
    }
}
