/**
 * Axon on PostgreSQL without Axon Server: aggregates registered with their cache and snapshots, the serializer's
 * own Jackson mapper, correlation data (actor, reason, request id), the command gateway's retries.
 */
package com.pictura.api.axon;
