/**
 * Pictura's rules: aggregates decide and emit events, event-sourcing handlers only assign state. Nothing in
 * here knows about HTTP, Stripe, Spring or read models.
 */
package com.pictura.domain;
