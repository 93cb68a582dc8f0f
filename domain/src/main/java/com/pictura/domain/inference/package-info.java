/**
 * Paying for a model call: the worst case held before it, the actual cost charged after it, the hold released
 * when it fails or nobody settles it. {@link com.pictura.domain.inference.Pricing} prices calls in exact
 * micro-credits; {@link com.pictura.domain.inference.InferenceSaga} settles each hold from the call's outcome
 * ({@link com.pictura.domain.inference.InferenceEvent}), which carries usage only, never prompts or outputs.
 */
package com.pictura.domain.inference;
