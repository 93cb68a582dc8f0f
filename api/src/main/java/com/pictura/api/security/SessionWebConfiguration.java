package com.pictura.api.security;

import java.util.List;

import com.pictura.api.web.RequestAttributeArgument;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Session authentication in front of the account, staff and audit routes, and the {@link Caller} it yields. */
@Configuration(proxyBeanMethods = false)
public class SessionWebConfiguration implements WebMvcConfigurer {

    static {
        // The signed-in caller comes from the session, not from the request: keep it out of the OpenAPI document.
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
    }

    private final SessionAuthentication sessionAuthentication;

    public SessionWebConfiguration(SessionAuthentication sessionAuthentication) {
        this.sessionAuthentication = sessionAuthentication;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(sessionAuthentication).addPathPatterns("/api/**", "/admin/**", "/audit/**");
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new RequestAttributeArgument(Caller.class, SessionAuthentication.CALLER));
    }
}
