/**
 * The built-in simulated provider, the catalog's default upstream: deterministic text with real (BPE) token counts,
 * real PNG images, configurable latency and faults. A fresh checkout works end to end offline.
 */
package com.pictura.api.simulator;
