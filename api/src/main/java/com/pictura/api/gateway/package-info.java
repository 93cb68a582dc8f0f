/**
 * The OpenAI-compatible {@code /v1} gateway: API-key authentication, validation, rate limits, idempotency,
 * the hold before each call, the call itself (relayed as it streams), and its one settlement ({@code PaidCall},
 * {@code Settlements}; {@code HoldSweeper} for holds nobody settled). docs/gateway.md explains the request path and its decisions.
 */
package com.pictura.api.gateway;
