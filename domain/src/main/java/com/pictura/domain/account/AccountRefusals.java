package com.pictura.domain.account;

import com.pictura.domain.Refusal;

public final class AccountRefusals {

    private AccountRefusals() {
    }

    public static final class AccountIsTerminated extends Refusal {
        public AccountIsTerminated(AccountId id) {
            super("account_terminated", "Account " + id + " is terminated.");
        }
    }

    public static final class AccountNotSuspended extends Refusal {
        public AccountNotSuspended(AccountId id) {
            super("account_not_suspended", "Account " + id + " is not suspended.");
        }
    }
}
