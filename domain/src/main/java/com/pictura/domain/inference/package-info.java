/**
 * Paying for a model call: the worst case held before it, the actual cost charged after it, the hold released
 * when it fails or nobody settles it. {@link com.pictura.domain.inference.Pricing} prices calls in exact
 * micro-credits; the gateway (api module, {@code PaidCall}) turns each call's outcome into one wallet command.
 */
package com.pictura.domain.inference;
