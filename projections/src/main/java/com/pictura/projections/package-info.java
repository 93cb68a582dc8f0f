/**
 * Read models: each one a table (or two), one processing group, rebuilt from the event store on a reset.
 * Lookups that must be consistent with commands (accounts, API keys) are subscribing projections, written in
 * the transaction that stores their events; the rest are pooled streaming projections.
 */
package com.pictura.projections;
