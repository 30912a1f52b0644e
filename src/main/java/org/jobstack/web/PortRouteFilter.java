package org.jobstack.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/** Admin routes exist only on the admin port, instance routes only on the main port; elsewhere 404. */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class PortRouteFilter extends OncePerRequestFilter {

    private final Ports ports;
    private final ErrorWriter errors;

    PortRouteFilter(Ports ports, ErrorWriter errors) {
        this.ports = ports;
        this.errors = errors;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        boolean onAdminPort = ports.isAdmin(request);
        boolean allowed = Ports.isSharedRoute(path) || Ports.isAdminRoute(path) == onAdminPort;
        if (!allowed) {
            errors.write(response, HttpStatus.NOT_FOUND, "No route for " + path + " on this port");
            return;
        }
        chain.doFilter(request, response);
    }
}
