package com.pictura.api.staff;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import com.pictura.api.ledgerchain.ChainVerifier;
import com.pictura.api.ledgerchain.LedgerExport;
import com.pictura.api.security.Caller;
import com.pictura.api.security.StaffOnly;
import com.pictura.api.staff.LedgerHistory.Balance;
import com.pictura.api.staff.LedgerHistory.Entry;
import com.pictura.api.staff.LedgerHistory.Verification;
import com.pictura.api.web.ApiException;
import com.pictura.domain.account.AccountId;
import com.pictura.domain.account.Role;
import com.pictura.domain.wallet.WalletId;
import com.pictura.projections.apikey.ApiKeyRepository;
import com.pictura.projections.apikey.ApiKeyRow;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Auditors' API: an account's event history, its balance at any instant from the events, and verification. */
@RestController
@RequestMapping("/audit")
@StaffOnly(Role.AUDITOR)
public class AuditController {

    private final LedgerHistory history;
    private final AccountSupport support;
    private final ApiKeyRepository keys;
    private final ChainVerifier chain;
    private final LedgerExport export;

    public AuditController(LedgerHistory history, AccountSupport support, ApiKeyRepository keys, ChainVerifier chain,
                           LedgerExport export) {
        this.history = history;
        this.support = support;
        this.keys = keys;
        this.chain = chain;
        this.export = export;
    }

    /** The events of the account, its wallet and its keys, oldest first; optionally one type, a period. */
    @GetMapping("/accounts/{id}/events")
    List<Entry> events(Caller auditor, @PathVariable String id, @RequestParam(required = false) String type,
                       @RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        return history.history(aggregatesOf(id), type, instant("from", from), instant("to", to));
    }

    /** The balance the account had at {@code at} (default now), folded from its wallet's events. */
    @GetMapping("/accounts/{id}/balance")
    Balance balance(Caller auditor, @PathVariable String id, @RequestParam(required = false) String at) {
        String account = support.account(id).accountId();
        Instant when = at == null ? Instant.now() : instant("at", at);
        return history.balanceAt(WalletId.of(new AccountId(account)).value(), when);
    }

    /** Every wallet recomputed from its events against the balance read model; every difference listed. */
    @GetMapping("/verification")
    Verification verify(Caller auditor) {
        return history.verify();
    }

    /** Every stored event against its hash-chain link; every event that no longer matches is named. */
    @GetMapping("/chain/verification")
    ChainVerifier.Verification verifyChain(Caller auditor) {
        return chain.verify();
    }

    /**
     * The stored history as JSON lines (default) or CSV, streamed: every event, or one account's (its account, its
     * wallet and its keys). What {@code java -jar pictura.jar verify} checks offline.
     */
    @GetMapping("/export")
    void export(Caller auditor, @RequestParam(required = false) String account,
                @RequestParam(defaultValue = "jsonl") String format, HttpServletResponse response) throws IOException {
        LedgerExport.Format chosen = switch (format) {
            case "jsonl" -> LedgerExport.Format.JSONL;
            case "csv" -> LedgerExport.Format.CSV;
            default -> throw ApiException.invalid("format", "format is jsonl or csv");
        };
        List<String> aggregates = account == null ? null : aggregatesOf(account);
        // Written as it is read, on the request's own thread: no async timeout cuts a long history short.
        response.setContentType(chosen == LedgerExport.Format.CSV ? "text/csv" : "application/x-ndjson");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"pictura-ledger." + format + "\"");
        export.write(aggregates, chosen, response.getOutputStream());
    }

    /** The last link of every aggregate and a digest over them: keep it elsewhere, compare it later. */
    @GetMapping("/chain/heads")
    ChainVerifier.Heads heads(Caller auditor) {
        return chain.heads();
    }

    /** The account's own aggregates: the account, its wallet, its keys. */
    private List<String> aggregatesOf(String id) {
        String account = support.account(id).accountId();
        List<String> aggregates = new ArrayList<>(List.of(account, WalletId.of(new AccountId(account)).value()));
        keys.findByAccountIdOrderByCreatedAtDesc(account).stream().map(ApiKeyRow::keyId).forEach(aggregates::add);
        return aggregates;
    }

    private static Instant instant(String param, String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiException.invalid(param, param + " must be an ISO-8601 instant such as 2026-12-01T00:00:00Z");
        }
    }
}
