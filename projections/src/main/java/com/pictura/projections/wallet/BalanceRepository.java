package com.pictura.projections.wallet;

import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

public interface BalanceRepository extends JpaRepository<BalanceRow, String> {

    Optional<BalanceRow> findByAccountId(String accountId);
}
