package com.pictura.api.web;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class Clocks {

    /** One clock for everything that stamps time outside events, so tests can reason about it. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
