package com.pictura.projections.account;

import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

public interface AccountRepository extends JpaRepository<AccountRow, String> {

    Optional<AccountRow> findByEmail(String email);
}
