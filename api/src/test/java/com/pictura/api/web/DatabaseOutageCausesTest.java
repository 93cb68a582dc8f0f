package com.pictura.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.SocketException;
import java.sql.SQLException;

import org.hibernate.exception.GenericJDBCException;
import org.junit.jupiter.api.Test;

/**
 * Which failures mean "the database is unreachable" (503, retry) rather than a fault of ours (500). The cases
 * come from the node logs of the reliability suite's outage test (docs/reliability.md).
 */
class DatabaseOutageCausesTest {

    @Test
    void connectionFailuresAnywhereInTheChainAreAnOutage() {
        assertThat(DatabaseOutage.causedBy(new RuntimeException(new SocketException("Connection reset")))).isTrue();
        assertThat(DatabaseOutage.causedBy(new SQLException("refused", "08001"))).isTrue();
        // A request that held a connection when the cut came: Hikari has closed it, and says so without a SQLSTATE.
        assertThat(DatabaseOutage.causedBy(new GenericJDBCException("Could not prepare statement",
                new SQLException("Connection is closed")))).isTrue();
    }

    @Test
    void otherFailuresAreNot() {
        assertThat(DatabaseOutage.causedBy(new IllegalStateException("a bug"))).isFalse();
        assertThat(DatabaseOutage.causedBy(new SQLException("duplicate key", "23505"))).isFalse();
    }
}
