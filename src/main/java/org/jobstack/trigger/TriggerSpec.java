package org.jobstack.trigger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jobstack.permission.Rule;
import org.jobstack.trigger.schedule.EverySchedule;
import org.jobstack.trigger.schedule.Periodic;
import org.jobstack.trigger.schedule.Schedule;

/** A trigger's parsed arguments. */
public sealed interface TriggerSpec {

    /** {@code @event}: fires on document events matching any rule. */
    record OnEvent(List<Rule> rules) implements TriggerSpec {}

    /** {@code @webhook} and {@code @client}: fired from outside, arguments ignored. */
    record External() implements TriggerSpec {}

    /** {@code @at}: once, at that instant. */
    record At(Instant at) implements TriggerSpec {}

    /** {@code @in}: once, that long after the trigger is created. */
    record In(Duration delay) implements TriggerSpec {}

    /** {@code @every}: a fixed period. */
    record Every(EverySchedule schedule) implements TriggerSpec {}

    /** {@code @cron}: a cron spec (or a descriptor). */
    record Cron(Schedule schedule) implements TriggerSpec {}

    /** {@code @hourly/@daily/@weekly/@monthly}: a window, the time picked per trigger. */
    record Periodically(Periodic periodic) implements TriggerSpec {}
}
