package com.pictura.api.usage;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.pictura.api.security.Caller;
import com.pictura.api.usage.UsageReads.Call;
import com.pictura.api.usage.UsageReads.Page;
import com.pictura.api.usage.UsageReads.Total;
import com.pictura.api.web.ApiException;
import com.pictura.api.web.Instants;
import com.pictura.domain.wallet.WalletId;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The caller's usage from the usage read model: one call by its request id (the {@code x-request-id} of its
 * answer, as OpenRouter's generation lookup), every call newest first and keyset-paged, totals per day, model and
 * key, and a CSV export. Only the caller's own wallet is ever read: another account's request id is a 404.
 */
@RestController
@RequestMapping("/api/usage")
public class UsageController {

    private static final Duration LONGEST_PERIOD = Duration.ofDays(366);

    private final UsageReads usage;

    public UsageController(UsageReads usage) {
        this.usage = usage;
    }

    @GetMapping("/{requestId}")
    Call call(Caller caller, @PathVariable String requestId) {
        return usage.byRequest(wallet(caller), requestId).orElseThrow(() -> ApiException.notFound(
                "No call with this request id on your account (a call shows here within moments of its answer)."));
    }

    @GetMapping
    Page calls(Caller caller, @RequestParam(required = false) String after,
               @RequestParam(defaultValue = "50") int limit) {
        return usage.page(wallet(caller), after, limit);
    }

    /** Totals per UTC day, model and key over [from, to) (default: the last 30 days), oldest day first. */
    @GetMapping("/totals")
    List<Total> totals(Caller caller, @RequestParam(required = false) String from,
                       @RequestParam(required = false) String to) {
        Instant[] period = period(from, to);
        return usage.totals(wallet(caller), period[0], period[1]);
    }

    /** Every call of [from, to) as CSV, oldest first, written as it is read. */
    @GetMapping("/export")
    void export(Caller caller, @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                HttpServletResponse response) throws IOException {
        Instant[] period = period(from, to);
        response.setContentType("text/csv; charset=utf-8");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"pictura-usage.csv\"");
        PrintWriter out = response.getWriter();
        out.println("started_at,request_id,model,key_id,outcome,cost,input_tokens,output_tokens,images,latency_ms");
        // Every field is ours (ids, catalog names, numbers): nothing needs quoting.
        usage.each(wallet(caller), period[0], period[1], c -> out.println(String.join(",", c.startedAt().toString(),
                text(c.requestId()), c.model(), text(c.keyId()), c.outcome(), text(c.cost()), text(c.inputTokens()),
                text(c.outputTokens()), text(c.images()), text(c.latencyMs()))));
        out.flush();
    }

    private static String wallet(Caller caller) {
        return WalletId.of(caller.accountId()).value();
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    private static Instant[] period(String from, String to) {
        Instant end = to == null ? Instant.now() : Instants.parse("to", to);
        Instant start = from == null ? end.minus(Duration.ofDays(30)) : Instants.parse("from", from);
        if (!start.isBefore(end) || Duration.between(start, end).compareTo(LONGEST_PERIOD) > 0) {
            throw ApiException.invalid("from", "the period must end after it starts and last at most 366 days");
        }
        return new Instant[] {start, end};
    }
}
