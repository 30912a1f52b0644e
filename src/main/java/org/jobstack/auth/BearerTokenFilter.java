package org.jobstack.auth;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.jobstack.common.Problem;
import org.jobstack.instance.SigningKeys;
import org.jobstack.permission.InvalidRuleException;
import org.jobstack.permission.PermissionSet;
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

    private final SigningKeys keys;
    private final TokenService tokens;
    private final AppPermissions appPermissions;
    private final ErrorWriter errors;

    BearerTokenFilter(SigningKeys keys, TokenService tokens, AppPermissions appPermissions, ErrorWriter errors) {
        this.keys = keys;
        this.tokens = tokens;
        this.appPermissions = appPermissions;
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
            SigningKeys.SigningKey instance = keys.of(InstanceDomain.of(request));
            TokenService.VerifiedToken token = tokens.verify(
                    instance.domain(), instance.secret(), header.substring(7).strip());
            PermissionSet permissions = permissionsOf(instance.domain(), token);
            Caller caller = new Caller(instance.domain(), token.audience(), token.subject(), permissions);
            SecurityContextHolder.getContext().setAuthentication(new CallerAuthentication(caller));
        } catch (Problem problem) {
            errors.write(response, problem);
            return;
        } catch (InvalidTokenException | InvalidRuleException e) {
            errors.write(response, HttpStatus.UNAUTHORIZED, "Invalid token: " + e.getMessage());
            return;
        }
        chain.doFilter(request, response);
    }

    private PermissionSet permissionsOf(String domain, TokenService.VerifiedToken token) {
        if (token.audience() == Audience.CLI) {
            return PermissionSet.parse(token.scope());
        }
        return appPermissions
                .of(domain, token.audience(), token.subject())
                .orElseThrow(() -> new InvalidTokenException("no installed app " + token.subject()));
    }
}
