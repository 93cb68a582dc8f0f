/**
 * Staff work: support corrects balances only through compensating commands (adjustments, with a second staff
 * member's approval above a threshold; refunds of charges; suspension, reinstatement, termination; revoking
 * keys), admins grant and revoke staff roles, auditors read the ledger history and prove balances from the events
 * alone. Every action needs a role, a recent sign-in and a reason, and is recorded with who did it in the
 * metadata of the events it causes.
 */
package com.pictura.api.staff;
