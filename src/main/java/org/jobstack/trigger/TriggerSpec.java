package org.jobstack.trigger;

import java.util.List;
import org.jobstack.permission.Rule;

/** A trigger's parsed arguments. */
public sealed interface TriggerSpec {

    /** {@code @event}: fires on document events matching any rule. */
    record OnEvent(List<Rule> rules) implements TriggerSpec {
    }

    /** {@code @webhook} and {@code @client}: fired from outside, arguments ignored. */
    record External() implements TriggerSpec {
    }
}
