package org.jobstack.auth;

import java.util.Optional;
import org.jobstack.permission.PermissionSet;

/** The permissions an installed app (or konnector) declared in its manifest; implemented by the app feature. */
public interface AppPermissions {

    Optional<PermissionSet> of(String domain, Audience audience, String slug);
}
