package com.pictura.api.staff;

import java.util.List;

import com.pictura.api.security.Caller;
import com.pictura.api.security.StaffOnly;
import com.pictura.api.staff.PendingAdjustments.Pending;
import com.pictura.api.usage.UsageReads;
import com.pictura.api.wallet.LedgerReads;
import com.pictura.api.web.ApiException;
import com.pictura.domain.account.Role;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * What support reads of any account beyond its summary: its ledger and its calls, paged exactly as the holder
 * reads their own (the same reads), and the adjustment requests waiting for a second staff member.
 */
@RestController
@RequestMapping("/admin/accounts/{id}")
@StaffOnly(Role.SUPPORT)
public class AccountRecordsController {

    private final AccountSupport support;
    private final LedgerReads ledger;
    private final UsageReads usage;
    private final PendingAdjustments pending;

    public AccountRecordsController(AccountSupport support, LedgerReads ledger, UsageReads usage,
                                    PendingAdjustments pending) {
        this.support = support;
        this.ledger = ledger;
        this.usage = usage;
        this.pending = pending;
    }

    /** As {@code GET /api/ledger}: newest first, {@code before} the {@code next} of the previous page. */
    @GetMapping("/ledger")
    LedgerReads.Page ledger(Caller staff, @PathVariable String id, @RequestParam(required = false) Integer page,
                            @RequestParam(required = false) Long before, @RequestParam(defaultValue = "50") int size) {
        return ledger.page(support.walletOf(id), page, before, size);
    }

    /** As {@code GET /api/usage}: newest first, {@code after} the {@code next} of the previous page. */
    @GetMapping("/usage")
    UsageReads.Page usage(Caller staff, @PathVariable String id, @RequestParam(required = false) String after,
                          @RequestParam(defaultValue = "50") int limit) {
        return usage.page(support.walletOf(id), after, limit);
    }

    /** Requests neither approved nor rejected yet, oldest first; {@code pending} is the only state listed. */
    @GetMapping("/adjustments")
    List<Pending> adjustments(Caller staff, @PathVariable String id,
                              @RequestParam(defaultValue = "pending") String state) {
        if (!state.equals("pending")) {
            throw ApiException.invalid("state", "state must be pending (the only one listed)");
        }
        return pending.of(support.walletOf(id));
    }
}
