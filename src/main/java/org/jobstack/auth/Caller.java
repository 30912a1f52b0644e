package org.jobstack.auth;

import java.util.Map;
import org.jobstack.common.Problem;
import org.jobstack.permission.PermissionSet;

/**
 * Who is calling the instance API: the instance (domain) their token was issued for, its
 * audience and subject (an app slug, or "CLI"), and what they may do.
 */
public record Caller(String domain, Audience audience, String subject, PermissionSet permissions) {

    public boolean isCli() {
        return audience == Audience.CLI;
    }

    public void require(String verb, String doctype, String id, Map<String, String> fields) {
        if (!permissions.allows(verb, doctype, id, fields)) {
            throw Problem.forbidden(
                    "The token does not allow " + verb + " on " + doctype + (fields.isEmpty() ? "" : " " + fields));
        }
    }

    public void requireWholeType(String verb, String doctype) {
        if (!permissions.allowsWholeType(verb, doctype)) {
            throw Problem.forbidden("The token does not allow " + verb + " on every " + doctype);
        }
    }
}
