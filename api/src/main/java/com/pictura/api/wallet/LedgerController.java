package com.pictura.api.wallet;

import com.pictura.api.security.Caller;
import com.pictura.api.wallet.LedgerReads.Page;
import com.pictura.domain.wallet.WalletId;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The account holder's own ledger: every credit movement with the balance after it, newest first. */
@RestController
@RequestMapping("/api/ledger")
public class LedgerController {

    private final LedgerReads ledger;

    public LedgerController(LedgerReads ledger) {
        this.ledger = ledger;
    }

    /**
     * Newest first. Keyset pages ({@code before}: the {@code next} of the previous page; leave it out for the
     * first) cost the same however deep; offset pages ({@code page}) are kept for older clients.
     */
    @GetMapping
    Page ledger(Caller caller, @RequestParam(required = false) Integer page,
                @RequestParam(required = false) Long before, @RequestParam(defaultValue = "50") int size) {
        return ledger.page(WalletId.of(caller.accountId()).value(), page, before, size);
    }
}
