/**
 * Billing: credit packs, Stripe Checkout, the Stripe webhook turned into ledger commands exactly once,
 * reconciliation of Stripe against the ledger, and the built-in Stripe simulator that makes all of it work
 * offline. See {@code docs/billing.md}.
 */
package com.pictura.billing;
