package com.pictura.api.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import com.pictura.domain.account.Role;

/** A controller (or handler method) that only callers holding one of these roles may use. */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface StaffOnly {

    Role[] value();
}
