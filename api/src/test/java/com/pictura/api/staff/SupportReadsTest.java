package com.pictura.api.staff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.pictura.api.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Support reads another account as its holder would: the ledger lines and the calls, paged the same way, and the
 * adjustment requests waiting for a second staff member. Only SUPPORT reaches them.
 */
class SupportReadsTest extends StaffTestBase {

    private static final String IMAGE = Http.json(Map.of("model", "flux-schnell", "prompt", "a lighthouse",
            "size", "256x256"));
    private static final List<String> ROUTES = List.of("/ledger", "/usage", "/adjustments?state=pending");

    private Person support;
    private Person secondSupport;

    @BeforeEach
    void staff() {
        support = withRole(signUp("reads-support"), "SUPPORT");
        secondSupport = withRole(signUp("reads-support-two"), "SUPPORT");
    }

    @Test
    void supportWalksAnotherAccountsLedgerAndCallsPageByPage() {
        Person user = signUp("read-by-support");
        String key = http.post("/api/keys", user.session(), Map.of("name", "k")).json().get("key").asString();
        List<String> requestIds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            var call = http.post("/v1/images/generations", key, IMAGE);
            assertThat(call.status()).as(call.body()).isEqualTo(200);
            requestIds.add(0, call.header("x-request-id"));
        }
        String account = "/admin/accounts/" + user.accountId();
        // A grant, then a hold and a charge per call; every call settled in the usage read model.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(http.get("/api/ledger?page=0&size=50", user.session()).json().get("total").asLong()).isEqualTo(7);
            assertThat(http.get("/api/usage", user.session()).json().get("calls").findValuesAsString("outcome"))
                    .containsExactly("charged", "charged", "charged");
        });

        List<JsonNode> lines = walk(account + "/ledger?size=2", "lines", "before");
        List<JsonNode> calls = walk(account + "/usage?limit=2", "calls", "after");

        assertThat(lines).hasSize(7);
        assertThat(lines.stream().map(l -> l.get("sequence").asLong()).toList())
                .isSortedAccordingTo((a, b) -> Long.compare(b, a)).doesNotHaveDuplicates();
        assertThat(lines.toString()).as("the same lines the holder reads")
                .isEqualTo(toList(http.get("/api/ledger?size=50", user.session()).json().get("lines")).toString());
        assertThat(lines.get(lines.size() - 1).get("availableAfter").asString()).isEqualTo("25.000000");
        assertThat(lines.get(0).get("availableAfter").asString()).isEqualTo("24.760000");
        assertThat(calls.stream().map(c -> c.get("requestId").asString()).toList()).isEqualTo(requestIds);
        assertThat(calls.stream().map(c -> c.get("cost").asString()).toList()).containsOnly("0.080000");
        assertThat(http.get(account + "/ledger?before=-1", support.session()).json().at("/error/param").asString())
                .isEqualTo("before");
        assertThat(http.get(account + "/usage?after=nonsense", support.session()).json().at("/error/param").asString())
                .isEqualTo("after");
    }

    @Test
    void onlySupportReadsAnAccountAndAnUnknownAccountIsNotFound() {
        Person user = signUp("read-refused");
        Person auditor = withRole(signUp("reads-auditor"), "AUDITOR");
        for (String route : ROUTES) {
            String path = "/admin/accounts/" + user.accountId() + route;
            assertThat(http.get(path, user.session()).status()).as("the holder: " + route).isEqualTo(403);
            assertThat(http.get(path, auditor.session()).status()).as("an auditor: " + route).isEqualTo(403);
            assertThat(http.get(path, support.session()).status()).as("support: " + route).isEqualTo(200);
            var unknown = http.get("/admin/accounts/acct_nobody" + route, support.session());
            assertThat(unknown.status()).as("unknown account: " + route).isEqualTo(404);
        }
        assertThat(http.get("/admin/accounts/" + user.accountId() + "/adjustments?state=approved", support.session())
                .json().at("/error/param").asString()).isEqualTo("state");
    }

    @Test
    void aLargeRequestIsListedAsPendingUntilASecondStaffMemberDecidesIt() {
        Person user = signUp("pending-list");
        String account = "/admin/accounts/" + user.accountId();
        var small = http.post(account + "/adjustments", support.session(),
                Map.of("amount", "5", "reason", "goodwill", "ticket", "T-20"));
        var large = http.post(account + "/adjustments", support.session(),
                Map.of("amount", "250", "reason", "outage credit", "ticket", "T-21"));
        var rejected = http.post(account + "/adjustments", support.session(),
                Map.of("amount", "-300", "reason", "duplicate purchase", "ticket", "T-22"));
        assertThat(List.of(small.status(), large.status(), rejected.status())).isEqualTo(List.of(201, 202, 202));
        String largeId = large.json().get("id").asString();
        String rejectedId = rejected.json().get("id").asString();

        JsonNode waiting = pending(user);
        assertThat(waiting.findValuesAsString("id")).as("the small one applied at once").containsExactly(largeId, rejectedId);
        assertThat(waiting.at("/0/amount").asString()).isEqualTo("250.000000");
        assertThat(waiting.at("/0/reason").asString()).isEqualTo("outage credit");
        assertThat(waiting.at("/0/ticket").asString()).isEqualTo("T-21");
        assertThat(waiting.at("/0/requestedBy").asString()).isEqualTo("staff:" + support.accountId());
        assertThat(waiting.at("/0/requestedAt").asString()).isNotBlank();

        assertThat(http.post(account + "/adjustments/" + rejectedId + "/reject", secondSupport.session(),
                Map.of("reason", "not a duplicate")).status()).isEqualTo(204);
        assertThat(pending(user).findValuesAsString("id")).containsExactly(largeId);
        assertThat(http.post(account + "/adjustments/" + largeId + "/approve", secondSupport.session(),
                Map.of("reason", "checked the ticket")).status()).isEqualTo(204);
        assertThat(pending(user).size()).isZero();
    }

    private JsonNode pending(Person user) {
        var pending = http.get("/admin/accounts/" + user.accountId() + "/adjustments?state=pending", support.session());
        assertThat(pending.status()).as(pending.body()).isEqualTo(200);
        return pending.json();
    }

    /** Every item of every page, following {@code next} as the given cursor parameter. */
    private List<JsonNode> walk(String first, String items, String cursor) {
        List<JsonNode> all = new ArrayList<>();
        String path = first;
        int pages = 0;
        while (path != null) {
            var page = http.get(path, support.session());
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            all.addAll(toList(page.json().get(items)));
            JsonNode next = page.json().get("next");
            path = next.isNull() ? null : first + "&" + cursor + "=" + next.asString();
            assertThat(++pages).as("pages end").isLessThan(10);
        }
        assertThat(pages).as("more than one page").isGreaterThan(1);
        return all;
    }

    private static List<JsonNode> toList(JsonNode array) {
        List<JsonNode> list = new ArrayList<>();
        array.forEach(list::add);
        return list;
    }
}
