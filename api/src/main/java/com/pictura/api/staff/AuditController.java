package com.pictura.api.staff;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.pictura.api.security.Caller;
import com.pictura.api.security.StaffOnly;
import com.pictura.api.staff.LedgerHistory.Balance;
import com.pictura.api.staff.LedgerHistory.Entry;
import com.pictura.api.staff.LedgerHistory.Verification;
import com.pictura.api.web.ApiException;
import com.pictura.api.web.Instants;
import com.pictura.domain.account.AccountId;
import com.pictura.domain.account.Role;
import com.pictura.domain.wallet.WalletId;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Auditors' API: an account's event history, its balance at any instant from the events, and verification. */
@RestController
@RequestMapping("/audit")
@StaffOnly(Role.AUDITOR)
public class AuditController {

    private final LedgerHistory history;
    private final AccountSupport support;

    public AuditController(LedgerHistory history, AccountSupport support) {
        this.history = history;
        this.support = support;
    }

    /** The events of the account, its wallet and its keys, oldest first; optionally one type, a period. */
    @GetMapping("/accounts/{id}/events")
    List<Entry> events(Caller auditor, @PathVariable String id, @RequestParam(required = false) String type,
                       @RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        return history.history(support.aggregatesOf(id), type, Instants.parse("from", from), Instants.parse("to", to));
    }

    /** The balance the account had at {@code at} (default now), folded from its wallet's events. */
    @GetMapping("/accounts/{id}/balance")
    Balance balance(Caller auditor, @PathVariable String id, @RequestParam(required = false) String at) {
        String account = support.account(id).accountId();
        Instant when = at == null ? Instant.now() : Instants.parse("at", at);
        return history.balanceAt(WalletId.of(new AccountId(account)).value(), when);
    }

    /** Every wallet recomputed from its events against the balance read model; every difference listed. */
    @GetMapping("/verification")
    Verification verify(Caller auditor) {
        return history.verify();
    }

    /** Who did what, to which aggregate and why: every event a staff member caused, newest first. */
    @GetMapping("/staff-actions")
    List<Map<String, Object>> staffActions(Caller auditor, @RequestParam(required = false) String staff,
                                           @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw ApiException.invalid("limit", "limit must be between 1 and 1000");
        }
        return history.staffActions(staff, limit);
    }
}
