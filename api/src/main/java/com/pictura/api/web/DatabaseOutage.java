package com.pictura.api.web;

import java.net.SocketException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Whether a failure is the database being unreachable (connections reset, refused or timed out) rather than a
 * fault of ours: such a request is answered 503 with Retry-After, as the client can and should retry it, and its
 * transaction never committed, so nothing of it was written.
 */
final class DatabaseOutage {

    private DatabaseOutage() {
    }

    static boolean causedBy(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof DataAccessResourceFailureException || cause instanceof CannotCreateTransactionException
                    || cause instanceof SQLTransientConnectionException || cause instanceof SocketException
                    // SQLSTATE class 08: connection exception
                    || cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")
                    // Hikari's answer (no SQLSTATE) for a connection it closed because the database dropped it
                    // while a request still held it: seen when an outage starts mid-request.
                    || cause instanceof SQLException closed && "Connection is closed".equals(closed.getMessage())) {
                return true;
            }
        }
        return false;
    }
}
