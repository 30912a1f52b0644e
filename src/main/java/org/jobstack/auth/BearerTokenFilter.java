package org.jobstack.auth;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.jobstack.common.Problem;
import org.jobstack.web.ErrorWriter;
import org.jobstack.web.InstanceDomain;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer <jwt>} for the instance named by the Host header.
 * Without a bearer header the request goes on unauthenticated (the route decides).
 */
class BearerTokenFilter extends OncePerRequestFilter {

    private final TokenCallers callers;
    private final ErrorWriter errors;

    BearerTokenFilter(TokenCallers callers, ErrorWriter errors) {
        this.callers = callers;
        this.errors = errors;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            chain.doFilter(request, response);
            return;
        }
        try {
            Caller caller =
                    callers.of(InstanceDomain.of(request), header.substring(7).strip());
            SecurityContextHolder.getContext().setAuthentication(new CallerAuthentication(caller));
        } catch (Problem problem) {
            errors.write(response, problem);
            return;
        } catch (InvalidTokenException e) {
            errors.write(response, HttpStatus.UNAUTHORIZED, "Invalid token: " + e.getMessage());
            return;
        }
        chain.doFilter(request, response);
    }
}
