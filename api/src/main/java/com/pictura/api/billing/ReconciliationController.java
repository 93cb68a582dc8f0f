package com.pictura.api.billing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import com.pictura.api.security.Caller;
import com.pictura.api.security.StaffOnly;
import com.pictura.api.web.ApiException;
import com.pictura.api.web.Instants;
import com.pictura.billing.reconciliation.Reconciliation;
import com.pictura.billing.reconciliation.Reconciliation.Report;
import com.pictura.domain.account.AccountId;
import com.pictura.domain.account.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Stripe against the ledger, on demand, for support staff and auditors. */
@RestController
@StaffOnly({Role.SUPPORT, Role.AUDITOR})
public class ReconciliationController {

    private static final Logger log = LoggerFactory.getLogger(ReconciliationController.class);
    private static final Duration LONGEST = Duration.ofDays(93);

    private final Reconciliation reconciliation;
    private final Clock clock;

    public ReconciliationController(Reconciliation reconciliation, Clock clock) {
        this.reconciliation = reconciliation;
        this.clock = clock;
    }

    /**
     * @param from    start of the period (ISO-8601 instant), default 24 hours before {@code to}
     * @param to      end of the period, exclusive, default now
     * @param account only this account
     */
    @GetMapping("/admin/billing/reconciliation")
    Report reconcile(Caller caller, @RequestParam(required = false) String from,
                     @RequestParam(required = false) String to, @RequestParam(required = false) String account) {
        Instant end = to == null ? clock.instant() : Instants.parse("to", to);
        Instant start = from == null ? end.minus(Duration.ofDays(1)) : Instants.parse("from", from);
        if (!start.isBefore(end) || Duration.between(start, end).compareTo(LONGEST) > 0) {
            throw ApiException.invalid("from", "the period must end after it starts and last at most 93 days");
        }
        Optional<AccountId> accountId;
        try {
            accountId = Optional.ofNullable(account).map(AccountId::new);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("account", e.getMessage());
        }
        try {
            return reconciliation.run(start, end, accountId);
        } catch (IllegalStateException e) {
            log.error("Reconciliation requested by {} failed", caller.accountId(), e);
            throw new ApiException(HttpStatus.BAD_GATEWAY, "api_error", "payment_provider_unavailable", null,
                    "Stripe could not be read; retry later.");
        }
    }
}
