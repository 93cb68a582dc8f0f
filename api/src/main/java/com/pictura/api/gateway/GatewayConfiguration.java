package com.pictura.api.gateway;

import java.util.List;

import com.pictura.api.web.RequestAttributeArgument;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Wires the gateway: key authentication on {@code /v1}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GatewayProperties.class)
public class GatewayConfiguration implements WebMvcConfigurer {

    private final ApiKeyAuthentication authentication;

    public GatewayConfiguration(ApiKeyAuthentication authentication) {
        this.authentication = authentication;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(authentication).addPathPatterns("/v1/**").excludePathPatterns("/v1/files/**");
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new RequestAttributeArgument(KeyCaller.class, KeyCaller.ATTRIBUTE));
    }
}
