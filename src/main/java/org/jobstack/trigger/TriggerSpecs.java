package org.jobstack.trigger;

import org.jobstack.common.Problem;
import org.jobstack.permission.InvalidRuleException;
import org.jobstack.permission.RuleParser;

/** Parses a trigger's arguments for its type; every refusal names the attribute at fault. */
public final class TriggerSpecs {

    private TriggerSpecs() {
    }

    public static TriggerType type(String written) {
        return TriggerType.of(written == null ? "" : written.strip()).orElseThrow(() -> Problem.invalid(
                Problem.Source.attribute("type"), "Unknown trigger type \"" + written + "\""));
    }

    public static TriggerSpec parse(TriggerType type, String arguments) {
        String args = arguments == null ? "" : arguments.strip();
        return switch (type) {
            case EVENT -> {
                try {
                    yield new TriggerSpec.OnEvent(RuleParser.parseList(args));
                } catch (InvalidRuleException e) {
                    throw Problem.malformed(Problem.Source.attribute("arguments"),
                            "Invalid @event arguments: " + e.getMessage());
                }
            }
            case WEBHOOK, CLIENT -> new TriggerSpec.External();
            default -> throw Problem.invalid(Problem.Source.attribute("type"),
                    "Trigger type " + type.written() + " is not supported yet");
        };
    }
}
