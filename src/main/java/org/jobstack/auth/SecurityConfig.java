package org.jobstack.auth;

import jakarta.servlet.DispatcherType;
import org.jobstack.config.AdminPassphrase;
import org.jobstack.web.ErrorWriter;
import org.jobstack.web.Ports;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;

/**
 * Two doors. The admin port takes the admin passphrase (HTTP Basic); the main port takes bearer
 * tokens of the instance named by the Host header. Webhooks and health need neither.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

    /**
     * Requests are timed once, by {@code http.server.requests}; observing each security filter,
     * the authorization and the chain as well cost about a tenth of a request's CPU on its thread
     * (a profile of node jobs queued over HTTP) for metrics nobody reads.
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    @Order(1)
    SecurityFilterChain adminChain(
            HttpSecurity http, Ports ports, AdminPassphrase passphrase, ErrorWriter errors, DashboardSessions sessions)
            throws Exception {
        common(http, errors, "Basic realm=\"jobstack admin\"")
                .securityMatcher(ports::isAdmin)
                .addFilterBefore(new AdminPassphraseFilter(passphrase, sessions), AuthorizationFilter.class)
                .authorizeHttpRequests(a -> a.dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR)
                        .permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/error")
                        .permitAll()
                        .requestMatchers("/dashboard/login", "/dashboard/dashboard.css")
                        .permitAll()
                        .anyRequest()
                        .authenticated());
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain instanceChain(HttpSecurity http, TokenCallers callers, ErrorWriter errors) throws Exception {
        common(http, errors, "Bearer")
                .addFilterBefore(new BearerTokenFilter(callers, errors), AuthorizationFilter.class)
                .authorizeHttpRequests(a -> a.dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR)
                        .permitAll()
                        .requestMatchers("/jobs/webhooks/**")
                        .permitAll()
                        .requestMatchers(HttpMethod.POST, "/realtime/*/*")
                        .authenticated()
                        .requestMatchers("/jobs", "/jobs/**", "/apps", "/apps/**", "/konnectors", "/konnectors/**")
                        .authenticated()
                        .anyRequest()
                        .permitAll());
        return http.build();
    }

    private static HttpSecurity common(HttpSecurity http, ErrorWriter errors, String challenge) throws Exception {
        return http.csrf(c -> c.disable())
                .httpBasic(b -> b.disable())
                .formLogin(f -> f.disable())
                .logout(l -> l.disable())
                .requestCache(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .exceptionHandling(e -> e.authenticationEntryPoint((request, response, ex) -> {
                            if (request.getRequestURI().startsWith("/dashboard")) {
                                response.sendRedirect("/dashboard/login");
                                return;
                            }
                            response.setHeader("WWW-Authenticate", challenge);
                            errors.write(response, HttpStatus.UNAUTHORIZED, "Authentication required");
                        })
                        .accessDeniedHandler(
                                (request, response, ex) -> errors.write(response, HttpStatus.FORBIDDEN, "Forbidden")));
    }
}
