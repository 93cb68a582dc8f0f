package com.pictura.api.web;

import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Hands a value an interceptor resolved (the signed-in {@code Caller}, the API key's {@code KeyCaller}) to the
 * controller methods that take a parameter of its type.
 */
public class RequestAttributeArgument implements HandlerMethodArgumentResolver {

    private final Class<?> type;
    private final String attribute;

    public RequestAttributeArgument(Class<?> type, String attribute) {
        this.type = type;
        this.attribute = attribute;
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == type;
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer container,
                                  NativeWebRequest request, WebDataBinderFactory binderFactory) {
        return request.getAttribute(attribute, RequestAttributes.SCOPE_REQUEST);
    }
}
