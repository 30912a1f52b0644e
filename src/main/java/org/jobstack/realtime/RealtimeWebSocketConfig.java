package org.jobstack.realtime;

import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import org.jobstack.common.Problem;
import org.jobstack.instance.SigningKeys;
import org.jobstack.web.ErrorWriter;
import org.jobstack.web.InstanceDomain;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

/**
 * {@code GET /realtime/} on the instance port. The handshake needs no token (the protocol's
 * {@code AUTH} carries it, as in cozy-stack) but an instance: the Host header must name one, else 404.
 * Origins are not checked, since no cookie authenticates anything here.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class RealtimeWebSocketConfig implements WebSocketConfigurer {

    /** A command is small: a token or a doctype and an id. */
    private static final int MAX_COMMAND_CHARS = 8 * 1024;

    private final RealtimeWebSocketHandler handler;
    private final SigningKeys instances;
    private final ErrorWriter errors;

    RealtimeWebSocketConfig(RealtimeWebSocketHandler handler, SigningKeys instances, ErrorWriter errors) {
        this.handler = handler;
        this.instances = instances;
        this.errors = errors;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(handler, "/realtime", "/realtime/")
                .setAllowedOriginPatterns("*")
                .addInterceptors(new InstanceWebSocketCheck());
    }

    @Bean
    ServletServerContainerFactoryBean realtimeContainer() {
        ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
        container.setMaxTextMessageBufferSize(MAX_COMMAND_CHARS);
        container.setMaxBinaryMessageBufferSize(1024);
        container.setAsyncSendTimeout(10_000L);
        return container;
    }

    private final class InstanceWebSocketCheck implements HandshakeInterceptor {

        @Override
        public boolean beforeHandshake(
                ServerHttpRequest request,
                ServerHttpResponse response,
                WebSocketHandler wsHandler,
                Map<String, Object> attributes)
                throws Exception {
            ServletServerHttpRequest servletRequest = (ServletServerHttpRequest) request;
            String domain = InstanceDomain.of(servletRequest.getServletRequest());
            try {
                attributes.put(
                        RealtimeWebSocketHandler.DOMAIN, instances.of(domain).domain());
                return true;
            } catch (Problem problem) {
                HttpServletResponse servletResponse = ((ServletServerHttpResponse) response).getServletResponse();
                errors.write(servletResponse, problem);
                return false;
            }
        }

        @Override
        public void afterHandshake(
                ServerHttpRequest request,
                ServerHttpResponse response,
                WebSocketHandler wsHandler,
                Exception exception) {}
    }
}
