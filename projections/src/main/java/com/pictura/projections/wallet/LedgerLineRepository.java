package com.pictura.projections.wallet;

import java.util.List;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

public interface LedgerLineRepository extends JpaRepository<LedgerLine, String> {

    Page<LedgerLine> findByWalletIdOrderBySequenceNumberDesc(String walletId, Pageable page);

    /** A keyset page: the lines before {@code sequence}, newest first (no count, no offset to walk past). */
    List<LedgerLine> findByWalletIdAndSequenceNumberLessThanOrderBySequenceNumberDesc(String walletId, long sequence,
                                                                                    Pageable limit);
}
