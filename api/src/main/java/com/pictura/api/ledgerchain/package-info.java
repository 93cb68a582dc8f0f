/**
 * Tamper evidence for the event store: a hash chain per aggregate, one link per stored event written in the
 * transaction that stores the event, the current heads for an auditor to keep elsewhere, and verifiers (on the
 * server, and offline over an export) that recompute every link from the stored bytes.
 */
package com.pictura.api.ledgerchain;
