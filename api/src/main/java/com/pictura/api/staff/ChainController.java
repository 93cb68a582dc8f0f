package com.pictura.api.staff;

import java.io.IOException;
import java.util.List;

import com.pictura.api.ledgerchain.ChainVerifier;
import com.pictura.api.ledgerchain.LedgerExport;
import com.pictura.api.security.Caller;
import com.pictura.api.security.StaffOnly;
import com.pictura.api.web.ApiException;
import com.pictura.domain.account.Role;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The tamper-evident ledger for auditors: chain verification, heads, and the export to verify offline. */
@RestController
@RequestMapping("/audit")
@StaffOnly(Role.AUDITOR)
public class ChainController {

    private final ChainVerifier chain;
    private final LedgerExport export;
    private final AccountSupport accounts;

    public ChainController(ChainVerifier chain, LedgerExport export, AccountSupport accounts) {
        this.chain = chain;
        this.export = export;
        this.accounts = accounts;
    }

    /** Every stored event against its hash-chain link; every event that no longer matches is named. */
    @GetMapping("/chain/verification")
    ChainVerifier.Verification verify(Caller auditor) {
        return chain.verify();
    }

    /** The last link of every aggregate and a digest over them: keep it elsewhere, compare it later. */
    @GetMapping("/chain/heads")
    ChainVerifier.Heads heads(Caller auditor) {
        return chain.heads();
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
        List<String> aggregates = account == null ? null : accounts.aggregatesOf(account);
        // Written as it is read, on the request's own thread: no async timeout cuts a long history short.
        response.setContentType(chosen == LedgerExport.Format.CSV ? "text/csv" : "application/x-ndjson");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"pictura-ledger." + format + "\"");
        export.write(aggregates, chosen, response.getOutputStream());
    }
}
