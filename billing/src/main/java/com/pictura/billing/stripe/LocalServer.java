package com.pictura.billing.stripe;

import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * The loopback address of this application's own HTTP server, known once it has started (tests use random
 * ports). The simulator is reached through it, and delivers its webhooks to it.
 */
@Component
public class LocalServer implements ApplicationListener<WebServerInitializedEvent> {

    private volatile int port = -1;

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        String namespace = event.getApplicationContext().getServerNamespace();
        if (namespace == null || namespace.isEmpty()) {
            port = event.getWebServer().getPort();
        }
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String baseUrl() {
        if (port < 0) {
            throw new IllegalStateException("the web server has not started yet");
        }
        return "http://127.0.0.1:" + port;
    }
}
