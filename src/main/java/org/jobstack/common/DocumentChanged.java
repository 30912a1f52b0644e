package org.jobstack.common;

import tools.jackson.databind.node.ObjectNode;

/**
 * One of Jobstack's own documents (a trigger, an app) was written; like the stack's realtime
 * events, {@code @event} triggers may watch it. {@code old} is the previous version, when known.
 */
public record DocumentChanged(String domain, String verb, String doctype, String id, ObjectNode doc, ObjectNode old) {}
