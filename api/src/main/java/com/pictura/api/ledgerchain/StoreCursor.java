package com.pictura.api.ledgerchain;

import java.util.Map;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reads the whole event store row by row without holding it in memory: a cursor of {@link #FETCH} rows, which
 * PostgreSQL gives only inside a transaction (read-only here).
 */
@Component
class StoreCursor {

    private static final int FETCH = 500;

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate readOnly;

    StoreCursor(DataSource dataSource, PlatformTransactionManager transactions) {
        JdbcTemplate template = new JdbcTemplate(dataSource);
        template.setFetchSize(FETCH);
        this.jdbc = new NamedParameterJdbcTemplate(template);
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
    }

    void query(String sql, Map<String, ?> params, RowCallbackHandler row) {
        readOnly.executeWithoutResult(status -> jdbc.query(sql, params, row));
    }
}
