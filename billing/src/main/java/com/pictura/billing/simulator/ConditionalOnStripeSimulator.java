package com.pictura.billing.simulator;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;

/** Present only when no real Stripe key is configured: the simulator then stands in for Stripe. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ConditionalOnExpression("'${pictura.billing.stripe.api-key:}'.trim().isEmpty()")
public @interface ConditionalOnStripeSimulator {
}
