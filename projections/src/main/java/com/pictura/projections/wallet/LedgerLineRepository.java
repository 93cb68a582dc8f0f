package com.pictura.projections.wallet;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

public interface LedgerLineRepository extends JpaRepository<LedgerLine, String> {

    Page<LedgerLine> findByWalletIdOrderBySequenceNumberDesc(String walletId, Pageable page);
}
