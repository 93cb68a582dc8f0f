package com.pictura.api.wallet;

import java.time.Instant;
import java.util.List;

import com.pictura.api.security.Caller;
import com.pictura.api.web.ApiException;
import com.pictura.domain.wallet.WalletId;
import com.pictura.projections.wallet.LedgerLine;
import com.pictura.projections.wallet.LedgerLineRepository;
import org.springframework.data.domain.PageRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The account holder's own ledger: every credit movement with the balance after it, newest first. */
@RestController
@RequestMapping("/api/ledger")
public class LedgerController {

    static final int MAX_PAGE_SIZE = 200;

    private final LedgerLineRepository lines;

    public LedgerController(LedgerLineRepository lines) {
        this.lines = lines;
    }

    public record Line(long sequence, Instant at, String kind, String reference, String amount,
                       String promotionalChange, String paidChange, String reservedChange,
                       String availableAfter, String promotionalAfter, String paidAfter, String reservedAfter,
                       String description) {
        static Line of(LedgerLine l) {
            return new Line(l.sequenceNumber(), l.occurredAt(), l.kind(), l.reference(), l.amount().toString(),
                    l.movement().promotional().toString(), l.movement().paid().toString(),
                    l.movement().reserved().toString(), l.availableAfter().toString(),
                    l.promotionalAfter().toString(), l.paidAfter().toString(), l.reservedAfter().toString(),
                    l.description());
        }
    }

    /**
     * @param total with offset pages only (null on keyset pages)
     * @param next  the {@code before} of the following keyset page, or null after the oldest line
     */
    public record Page(List<Line> lines, Integer page, int size, Long total, Long next) {
    }

    /**
     * Newest first. Keyset pages ({@code before}: the {@code next} of the previous page; leave it out for the
     * first) cost the same however deep; offset pages ({@code page}) are kept for older clients.
     */
    @GetMapping
    Page ledger(Caller caller, @RequestParam(required = false) Integer page,
                @RequestParam(required = false) Long before, @RequestParam(defaultValue = "50") int size) {
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw ApiException.invalid("size", "size must be between 1 and " + MAX_PAGE_SIZE);
        }
        String wallet = WalletId.of(caller.accountId()).value();
        if (page == null) {
            if (before != null && before < 0) {
                throw ApiException.invalid("before", "before must be the next of a previous page");
            }
            List<Line> found = lines.findByWalletIdAndSequenceNumberLessThanOrderBySequenceNumberDesc(wallet,
                    before == null ? Long.MAX_VALUE : before, PageRequest.of(0, size)).stream().map(Line::of).toList();
            Long next = found.size() < size ? null : found.get(found.size() - 1).sequence();
            return new Page(found, null, size, null, next);
        }
        // The offset (page × size) must fit an int, as Spring Data computes it; far past the end is a client mistake.
        if (page < 0 || (long) page * size > Integer.MAX_VALUE) {
            throw ApiException.invalid("page", "page must be between 0 and " + Integer.MAX_VALUE / size
                    + " for a size of " + size);
        }
        var result = lines.findByWalletIdOrderBySequenceNumberDesc(wallet, PageRequest.of(page, size));
        return new Page(result.map(Line::of).getContent(), page, size, result.getTotalElements(), null);
    }
}
