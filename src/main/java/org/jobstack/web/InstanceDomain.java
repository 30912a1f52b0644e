package org.jobstack.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;

/**
 * The instance a request is for: the Host header without its port (Tomcat's server name, which
 * honours X-Forwarded-Host from trusted proxies).
 */
public final class InstanceDomain {

    private InstanceDomain() {}

    public static String of(HttpServletRequest request) {
        return request.getServerName().toLowerCase(Locale.ROOT);
    }
}
