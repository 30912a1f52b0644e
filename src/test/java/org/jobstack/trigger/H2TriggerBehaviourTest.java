package org.jobstack.trigger;

class H2TriggerBehaviourTest extends AbstractTriggerBehaviourTest {}
