package com.pictura.api.staff;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.pictura.api.account.AccountController.Balance;
import com.pictura.api.security.Caller;
import com.pictura.api.web.ApiException;
import com.pictura.domain.account.AccountCommand.ReinstateAccount;
import com.pictura.domain.account.AccountCommand.SuspendAccount;
import com.pictura.domain.account.AccountCommand.TerminateAccount;
import com.pictura.domain.account.AccountId;
import com.pictura.domain.account.EmailAddress;
import com.pictura.domain.account.Role;
import com.pictura.domain.apikey.ApiKeyCommand.RevokeApiKey;
import com.pictura.domain.apikey.ApiKeyId;
import com.pictura.domain.id.Ids;
import com.pictura.domain.wallet.Credits;
import com.pictura.domain.wallet.ReservationId;
import com.pictura.domain.wallet.WalletCommand.AdjustCredits;
import com.pictura.domain.wallet.WalletCommand.ApproveAdjustment;
import com.pictura.domain.wallet.WalletCommand.RefundCharge;
import com.pictura.domain.wallet.WalletCommand.RejectAdjustment;
import com.pictura.domain.wallet.WalletCommand.RequestAdjustment;
import com.pictura.domain.wallet.WalletId;
import com.pictura.projections.account.AccountRepository;
import com.pictura.projections.account.AccountRow;
import com.pictura.projections.apikey.ApiKeyRepository;
import com.pictura.projections.apikey.ApiKeyRow;
import com.pictura.projections.wallet.BalanceRepository;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * What support staff look up and correct. Corrections are commands on the wallet, never edits: an adjustment up
 * to {@code pictura.staff.approval-threshold} credits either way applies at once, a larger one is a request that
 * changes nothing until a different staff member approves it (the wallet refuses an approval by the requester).
 */
@Service
public class AccountSupport {

    private final AccountRepository accounts;
    private final ApiKeyRepository keys;
    private final BalanceRepository balances;
    private final CommandGateway commands;
    private final Credits approvalThreshold;

    public AccountSupport(AccountRepository accounts, ApiKeyRepository keys, BalanceRepository balances,
                          CommandGateway commands,
                          @Value("${pictura.staff.approval-threshold:100}") String approvalThreshold) {
        this.accounts = accounts;
        this.keys = keys;
        this.balances = balances;
        this.commands = commands;
        this.approvalThreshold = Credits.parse(approvalThreshold);
    }

    public record Key(String id, String name, String prefix, Instant createdAt, Instant lastUsedAt, boolean active) {
    }

    public record AccountSummary(String id, String email, String status, Set<Role> roles, Instant registeredAt,
                                 boolean emailVerified, String termsVersion, Instant termsAcceptedAt,
                                 Balance balance, List<Key> keys) {
    }

    /** @param applied false for a request waiting for a second staff member */
    public record AdjustmentOutcome(String id, String amount, boolean applied) {
    }

    /** Accounts by id ({@code acct_…}), email, or the prefix of one of their keys ({@code pk_…}). */
    public List<AccountSummary> find(String query) {
        if (query == null || query.isBlank()) {
            throw ApiException.invalid("q", "q is required: an account id, an email or a key prefix");
        }
        String q = query.strip();
        Stream<AccountRow> found;
        if (q.startsWith(AccountId.PREFIX)) {
            found = accounts.findById(q).stream();
        } else if (q.startsWith("pk_")) {
            String prefix = q.substring(0, Math.min(q.length(), 10));
            found = keys.findByPrefix(prefix).stream().map(ApiKeyRow::accountId).distinct()
                    .flatMap(id -> accounts.findById(id).stream());
        } else {
            found = accounts.findByEmail(EmailAddress.normalize(q)).stream();
        }
        return found.map(this::summary).toList();
    }

    public AccountSummary summary(String accountId) {
        return summary(account(accountId));
    }

    private AccountSummary summary(AccountRow account) {
        List<Key> owned = keys.findByAccountIdOrderByCreatedAtDesc(account.accountId()).stream()
                .map(k -> new Key(k.keyId(), k.name(), k.prefix(), k.createdAt(), k.lastUsedAt(), k.isActive()))
                .toList();
        return new AccountSummary(account.accountId(), account.email(), account.status().name().toLowerCase(),
                account.roles(), account.registeredAt(), account.emailVerified(), account.termsVersion(),
                account.termsAcceptedAt(), Balance.of(balances.findById(wallet(account).value()).orElse(null)), owned);
    }

    public AdjustmentOutcome adjust(Caller staff, String accountId, StaffRequests.Adjustment request) {
        String reason = StaffRequests.reason(request, request == null ? null : request.reason());
        Credits amount = StaffRequests.credits("amount", request.amount());
        if (request.ticket() == null || request.ticket().isBlank()) {
            throw ApiException.invalid("ticket", "ticket (the support ticket's reference) is required");
        }
        String id = request.adjustmentId() != null ? request.adjustmentId() : Ids.random("adj_", 22);
        WalletId wallet = wallet(account(accountId));
        boolean needsApproval = (amount.isNegative() ? amount.negate() : amount).isGreaterThan(approvalThreshold);
        if (needsApproval) {
            commands.sendAndWait(new RequestAdjustment(wallet, id, amount, reason, request.ticket(), staff.asStaff()));
        } else {
            commands.sendAndWait(new AdjustCredits(wallet, id, amount, reason, request.ticket(), staff.asStaff()));
        }
        return new AdjustmentOutcome(id, amount.toString(), !needsApproval);
    }

    public void decide(Caller staff, String accountId, String requestId, boolean approve, String reason) {
        WalletId wallet = wallet(account(accountId));
        if (approve) {
            commands.sendAndWait(new ApproveAdjustment(wallet, requestId, reason, staff.asStaff()));
        } else {
            commands.sendAndWait(new RejectAdjustment(wallet, requestId, reason, staff.asStaff()));
        }
    }

    public String refund(Caller staff, String accountId, StaffRequests.Refund request) {
        String reason = StaffRequests.reason(request, request == null ? null : request.reason());
        if (request.reservationId() == null || !request.reservationId().startsWith(ReservationId.PREFIX)) {
            throw ApiException.invalid("reservationId", "reservationId (res_…) of the charge to refund is required");
        }
        Credits amount = StaffRequests.credits("amount", request.amount());
        String id = request.refundId() != null ? request.refundId() : Ids.random("rfd_", 22);
        commands.sendAndWait(new RefundCharge(wallet(account(accountId)), id, new ReservationId(request.reservationId()),
                amount, reason, staff.asStaff()));
        return id;
    }

    public enum StatusChange { SUSPEND, REINSTATE, TERMINATE }

    /** Terminating forfeits the credits and ends every session and key (TerminationPolicy). */
    public void changeStatus(Caller staff, String accountId, StatusChange change, String reason) {
        AccountId account = new AccountId(account(accountId).accountId());
        commands.sendAndWait(switch (change) {
            case SUSPEND -> new SuspendAccount(account, reason, staff.asStaff());
            case REINSTATE -> new ReinstateAccount(account, reason, staff.asStaff());
            case TERMINATE -> new TerminateAccount(account, reason, staff.asStaff());
        });
    }

    public void revokeKey(Caller staff, String keyId, String reason) {
        ApiKeyRow key = keys.findById(keyId).orElseThrow(() -> ApiException.notFound("No such API key."));
        commands.sendAndWait(new RevokeApiKey(new ApiKeyId(key.keyId()), reason, staff.asStaff()));
    }

    /** The account's own aggregates, whose events are its history: the account, its wallet, its keys. */
    public List<String> aggregatesOf(String accountId) {
        AccountRow account = account(accountId);
        List<String> aggregates = new java.util.ArrayList<>(List.of(account.accountId(), wallet(account).value()));
        keys.findByAccountIdOrderByCreatedAtDesc(account.accountId()).stream().map(ApiKeyRow::keyId)
                .forEach(aggregates::add);
        return aggregates;
    }

    /** The account's wallet id; 404 for an unknown account. */
    String walletOf(String accountId) {
        return wallet(account(accountId)).value();
    }

    AccountRow account(String accountId) {
        return accounts.findById(accountId).orElseThrow(() -> ApiException.notFound("No such account."));
    }

    private static WalletId wallet(AccountRow account) {
        return WalletId.of(new AccountId(account.accountId()));
    }
}
