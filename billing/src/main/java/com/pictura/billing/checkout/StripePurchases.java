package com.pictura.billing.checkout;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;

import com.pictura.domain.account.AccountId;
import com.pictura.domain.wallet.WalletId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Every Pictura Checkout Session and what became of it ({@code stripe_purchases}). The session id is the
 * ledger's payment id; the payment intent and charge ids, filled in as Stripe reveals them, are how refunds and
 * disputes (which name the charge) find their purchase. {@code reversed_cents} and {@code reversed_credits}
 * say how much of the purchase has been taken back so far, so a partial refund reverses only what is new.
 */
@Repository
public class StripePurchases {

    public enum Status { OPEN, PENDING, PAID, FAILED }

    public record Purchase(String sessionId, AccountId accountId, WalletId walletId, String packId,
                           long creditsMicros, long amountCents, String currency, Status status,
                           String paymentIntentId, String chargeId, long reversedCents, long reversedCredits) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;

    public StripePurchases(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Remembers a session when it is created, or when an event reveals it first; never overwrites. */
    public void remember(String sessionId, AccountId account, String packId, long creditsMicros, long amountCents,
                         String currency) {
        jdbc.sql("""
                insert into stripe_purchases (session_id, account_id, wallet_id, pack_id, credits, amount_cents,
                                              currency, status, created_at)
                values (?, ?, ?, ?, ?, ?, ?, 'OPEN', ?)
                on conflict (session_id) do nothing""")
                .params(sessionId, account.value(), WalletId.of(account).value(), packId, creditsMicros, amountCents,
                        currency, now())
                .update();
    }

    /** The purchase, locked until the transaction ends: refunds and payments of one purchase queue up. */
    public Optional<Purchase> lock(String sessionId) {
        return jdbc.sql("select * from stripe_purchases where session_id = ? for update")
                .param(sessionId).query(StripePurchases::row).optional();
    }

    public Optional<Purchase> find(String sessionId) {
        return jdbc.sql("select * from stripe_purchases where session_id = ?")
                .param(sessionId).query(StripePurchases::row).optional();
    }

    /** The purchase paid by this payment intent or charge. */
    public Optional<Purchase> findByPayment(String paymentIntentId, String chargeId) {
        return jdbc.sql("""
                select * from stripe_purchases
                where (payment_intent_id is not null and payment_intent_id = ?) or (charge_id is not null and charge_id = ?)
                limit 1""")
                .params(paymentIntentId, chargeId).query(StripePurchases::row).optional();
    }

    public void paymentDetails(String sessionId, String paymentIntentId, String chargeId) {
        jdbc.sql("""
                update stripe_purchases set payment_intent_id = coalesce(payment_intent_id, ?),
                                            charge_id = coalesce(charge_id, ?)
                where session_id = ?""")
                .params(paymentIntentId, chargeId, sessionId).update();
    }

    public void status(String sessionId, Status status, long amountCents) {
        jdbc.sql("""
                update stripe_purchases set status = ?, amount_cents = ?,
                       paid_at = case when ? = 'PAID' then ? else paid_at end
                where session_id = ?""")
                .params(status.name(), amountCents, status.name(), now(), sessionId).update();
    }

    public boolean reversalExists(String reversalId) {
        return jdbc.sql("select count(*) from stripe_reversals where reversal_id = ?")
                .param(reversalId).query(Long.class).single() > 0;
    }

    /** Records a reversal and the purchase's new totals; false if this reversal was recorded before. */
    public boolean recordReversal(Purchase purchase, String reversalId, String kind, long amountCents,
                                  long creditsMicros, long newReversedCents, long newReversedCredits, String eventId) {
        int inserted = jdbc.sql("""
                insert into stripe_reversals (reversal_id, session_id, kind, amount_cents, credits, event_id, created_at)
                values (?, ?, ?, ?, ?, ?, ?)
                on conflict (reversal_id) do nothing""")
                .params(reversalId, purchase.sessionId(), kind, amountCents, creditsMicros, eventId, now())
                .update();
        if (inserted == 0) {
            return false;
        }
        jdbc.sql("update stripe_purchases set reversed_cents = ?, reversed_credits = ? where session_id = ?")
                .params(newReversedCents, newReversedCredits, purchase.sessionId()).update();
        return true;
    }

    public void dispute(String disputeId, String sessionId, long amountCents, String status) {
        jdbc.sql("""
                insert into stripe_disputes (dispute_id, session_id, amount_cents, status, opened_at, updated_at)
                values (?, ?, ?, ?, ?, ?)
                on conflict (dispute_id) do update
                set status = case when stripe_disputes.status in ('won', 'lost', 'warning_closed')
                                  then stripe_disputes.status else excluded.status end,
                    amount_cents = excluded.amount_cents, updated_at = excluded.updated_at""")
                .params(disputeId, sessionId, amountCents, status, now(), now()).update();
    }

    private Timestamp now() {
        return Timestamp.from(clock.instant());
    }

    private static Purchase row(ResultSet rs, int n) throws SQLException {
        AccountId account = new AccountId(rs.getString("account_id"));
        return new Purchase(rs.getString("session_id"), account, new WalletId(rs.getString("wallet_id")),
                rs.getString("pack_id"), rs.getLong("credits"), rs.getLong("amount_cents"), rs.getString("currency"),
                Status.valueOf(rs.getString("status")), rs.getString("payment_intent_id"), rs.getString("charge_id"),
                rs.getLong("reversed_cents"), rs.getLong("reversed_credits"));
    }
}
