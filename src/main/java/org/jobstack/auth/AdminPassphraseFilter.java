package org.jobstack.auth;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.jobstack.config.AdminPassphrase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * HTTP Basic as the stack's admin API takes it: any user name, the password is the admin passphrase.
 * The dashboard's pages also take the session cookie of a browser that signed in with it.
 */
class AdminPassphraseFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(AdminPassphraseFilter.class);

    private final AdminPassphrase passphrase;
    private final DashboardSessions sessions;

    AdminPassphraseFilter(AdminPassphrase passphrase, DashboardSessions sessions) {
        this.passphrase = passphrase;
        this.sessions = sessions;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String password = basicPassword(request.getHeader("Authorization"));
        boolean dashboard = request.getRequestURI().startsWith("/dashboard")
                || request.getRequestURI().startsWith("/webjars");
        if ((password != null && passphrase.matches(password)) || (dashboard && sessions.isOpen(request))) {
            SecurityContextHolder.getContext()
                    .setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                            "admin", null, List.of(new SimpleGrantedAuthority("ROLE_ADMIN"))));
        } else if (request.getHeader("Authorization") != null) {
            log.atWarn()
                    .addKeyValue("remote", request.getRemoteAddr())
                    .addKeyValue("method", request.getMethod())
                    .addKeyValue("path", request.getRequestURI())
                    .log("Admin request with a wrong passphrase refused");
        }
        chain.doFilter(request, response);
    }

    static String basicPassword(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded =
                    new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : decoded.substring(colon + 1);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
