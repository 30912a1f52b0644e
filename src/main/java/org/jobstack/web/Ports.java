package org.jobstack.web;

import jakarta.servlet.http.HttpServletRequest;
import org.jobstack.config.AdminConnector;
import org.springframework.stereotype.Component;

/** Which door a request came through: the admin port or the main (instance API) port. */
@Component
public class Ports {

    private final AdminConnector adminConnector;

    public Ports(AdminConnector adminConnector) {
        this.adminConnector = adminConnector;
    }

    public boolean isAdmin(HttpServletRequest request) {
        return request.getLocalPort() == adminConnector.localPort();
    }

    /** Routes served on the admin port only. */
    public static boolean isAdminRoute(String path) {
        return path.equals("/instances")
                || path.startsWith("/instances/")
                || path.startsWith("/secrets/")
                || path.equals("/nodes")
                || path.startsWith("/nodes/")
                || path.startsWith("/dashboard")
                || path.startsWith("/webjars/")
                || path.equals("/v3/api-docs")
                || path.startsWith("/v3/api-docs/")
                || (path.startsWith("/actuator") && !isHealth(path));
    }

    /** Routes served on both ports. */
    public static boolean isSharedRoute(String path) {
        return isHealth(path) || path.equals("/error");
    }

    private static boolean isHealth(String path) {
        return path.equals("/actuator/health") || path.startsWith("/actuator/health/");
    }
}
