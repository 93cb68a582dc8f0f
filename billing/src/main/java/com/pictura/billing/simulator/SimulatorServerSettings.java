package com.pictura.billing.simulator;

import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * stripe-java sends list filters as {@code created[gte]=…} without escaping the brackets, as Stripe's servers
 * accept; Tomcat refuses them unless told otherwise. Only while the simulator is the Stripe being called.
 */
@Component
@ConditionalOnStripeSimulator
class SimulatorServerSettings implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> {

    @Override
    public void customize(ConfigurableTomcatWebServerFactory factory) {
        factory.addConnectorCustomizers(connector -> connector.setProperty("relaxedQueryChars", "[]"));
    }
}
