package com.pictura.billing;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Binds {@code pictura.billing.*} and turns on the scheduled reconciliation. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BillingProperties.class)
@EnableScheduling
public class BillingConfiguration {
}
