package com.pictura.api.wallet;

import java.time.Instant;
import java.util.List;

import com.pictura.api.web.ApiException;
import com.pictura.projections.wallet.LedgerLine;
import com.pictura.projections.wallet.LedgerLineRepository;
import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Service;

/**
 * Pages of one wallet's ledger lines, newest first: what the account holder reads of their own wallet and support
 * staff of any account's. The caller decides whose wallet it may read; this only reads it.
 */
@Service
public class LedgerReads {

    static final int MAX_PAGE_SIZE = 200;

    private final LedgerLineRepository lines;

    public LedgerReads(LedgerLineRepository lines) {
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
     * Keyset pages ({@code before}: the {@code next} of the previous page; null for the first) cost the same
     * however deep; offset pages ({@code page}, when not null) are kept for older clients.
     */
    public Page page(String walletId, Integer page, Long before, int size) {
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw ApiException.invalid("size", "size must be between 1 and " + MAX_PAGE_SIZE);
        }
        if (page == null) {
            if (before != null && before < 0) {
                throw ApiException.invalid("before", "before must be the next of a previous page");
            }
            List<Line> found = lines.findByWalletIdAndSequenceNumberLessThanOrderBySequenceNumberDesc(walletId,
                    before == null ? Long.MAX_VALUE : before, PageRequest.of(0, size)).stream().map(Line::of).toList();
            Long next = found.size() < size ? null : found.get(found.size() - 1).sequence();
            return new Page(found, null, size, null, next);
        }
        // The offset (page × size) must fit an int, as Spring Data computes it; far past the end is a client mistake.
        if (page < 0 || (long) page * size > Integer.MAX_VALUE) {
            throw ApiException.invalid("page", "page must be between 0 and " + Integer.MAX_VALUE / size
                    + " for a size of " + size);
        }
        var result = lines.findByWalletIdOrderBySequenceNumberDesc(walletId, PageRequest.of(page, size));
        return new Page(result.map(Line::of).getContent(), page, size, result.getTotalElements(), null);
    }
}
