package com.pictura.domain.account;

/** Staff roles an account can hold besides being a customer. */
public enum Role {
    /** Corrects balances, refunds charges, suspends and terminates accounts, revokes keys. */
    SUPPORT,
    /** Reads the whole ledger history and runs replays and verifications. */
    AUDITOR,
    /** Grants and revokes staff roles. */
    ADMIN
}
