package com.pictura.projections.wallet;

import java.util.Optional;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

public interface LedgerLineRepository extends JpaRepository<LedgerLine, String> {

    Optional<LedgerLine> findFirstByWalletIdOrderBySequenceNumberDesc(String walletId);

    Page<LedgerLine> findByWalletIdOrderBySequenceNumberDesc(String walletId, Pageable page);
}
