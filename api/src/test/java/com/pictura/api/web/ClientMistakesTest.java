package com.pictura.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.pictura.api.IntegrationTest;
import com.pictura.api.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a careless or hostile client sends to {@code /api}: each mistake is a 4xx in the API's error shape, changes
 * nothing, and leaves no stack trace (and no raw control byte) in the log.
 */
@ExtendWith(OutputCaptureExtension.class)
class ClientMistakesTest extends IntegrationTest {

    private long accounts() {
        return jdbc.sql("select count(*) from accounts").query(Long.class).single();
    }

    private RawHttp.Response postJson(String path, String json, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Content-Type";
        all[1] = "application/json";
        System.arraycopy(headers, 0, all, 2, headers.length);
        return RawHttp.send(port, "POST", path, json.getBytes(StandardCharsets.UTF_8), all);
    }

    @Test
    void aNulInAnEmailPasswordOrKeyNameIsRefusedWith400AndNeverReachesTheDatabaseOrTheLog(CapturedOutput output) {
        long before = accounts();

        var email = postJson("/api/accounts",
                "{\"email\":\"zebra\\u0000q@example.com\",\"password\":\"correct horse battery\",\"ageConfirmed\":true,\"termsAccepted\":true}");
        var password = postJson("/api/accounts", "{\"email\":\"" + uniqueEmail("nul") + "\","
                + "\"password\":\"correct\\u0000horse battery\",\"ageConfirmed\":true,\"termsAccepted\":true}");
        Person person = signUp("nul-key");
        var key = postJson("/api/keys", "{\"name\":\"a\\u0000b\"}", "Authorization", "Bearer " + person.session());
        var signIn = postJson("/api/session", "{\"email\":\"zebra\\u0000q@example.com\",\"password\":\"x\\u0000y\"}");

        assertThat(email.status()).as(email.text()).isEqualTo(400);
        assertThat(email.json().at("/error/param").asString()).isEqualTo("email");
        assertThat(password.status()).as(password.text()).isEqualTo(400);
        assertThat(password.json().at("/error/param").asString()).isEqualTo("password");
        assertThat(key.status()).as(key.text()).isEqualTo(400);
        assertThat(key.json().at("/error/param").asString()).isEqualTo("name");
        assertThat(signIn.status()).isEqualTo(401);
        assertThat(accounts()).isEqualTo(before + 1); // only the person signed up on purpose
        assertThat(jdbc.sql("select count(*) from api_keys where account_id = ?").param(person.accountId())
                .query(Long.class).single()).isZero();
        assertThat(output.getAll()).doesNotContain("\u0000").doesNotContain("Unexpected failure");
    }

    @Test
    void controlCharactersInALogMessageArePrintedEscaped(CapturedOutput output) {
        org.slf4j.LoggerFactory.getLogger(ClientMistakesTest.class).warn("forged\u0000line\r\u001b[31mred {}",
                "value\u0007");

        assertThat(output.getOut()).contains("forged?line??[31mred value?").doesNotContain("\u0000")
                .doesNotContain("\u001b");
    }

    @Test
    void otherControlCharactersAndBidiOverridesInAKeyNameAreRefused() {
        Person person = signUp("ctl-key");
        for (String name : new String[]{"tab\\there", "bell\\u0007", "\\u202Eevil", "bom\\uFEFF", "line\\u2028break"}) {
            var key = postJson("/api/keys", "{\"name\":\"" + name + "\"}", "Authorization", "Bearer " + person.session());
            assertThat(key.status()).as(name).isEqualTo(400);
        }
        var fine = postJson("/api/keys", "{\"name\":\"laptop \\uD83D\\uDC69\\u200D\\uD83D\\uDCBB\"}",
                "Authorization", "Bearer " + person.session());
        assertThat(fine.status()).as(fine.text()).isEqualTo(201);
    }

    @ParameterizedTest(name = "ageConfirmed {0} is not true")
    @ValueSource(strings = {"123", "1", "\"true\"", "\"yes\"", "{}", "[true]"})
    void onlyTheJsonBooleanTrueConfirmsTheAge(String value) {
        long before = accounts();
        var response = postJson("/api/accounts", "{\"email\":\"" + uniqueEmail("age") + "\","
                + "\"password\":\"correct horse battery\",\"ageConfirmed\":" + value + "}");

        assertThat(response.status()).as(response.text()).isEqualTo(400);
        assertThat(response.json().at("/error/param").asString()).isEqualTo("ageConfirmed");
        assertThat(accounts()).isEqualTo(before);
    }

    @ParameterizedTest(name = "email {0} is refused")
    @ValueSource(strings = {"zebra\\uD800q@example.com", "zebra\\u202Eq@example.com", "\\uFEFFzebra@example.com",
            "<script>@example.com", "zebra@exa<script>mple.com", "\\\"quoted\\\"@example.com", "zebra@localhost"})
    void emailsThatAreNotReadableAddressesAreRefused(String email) {
        long before = accounts();
        var response = postJson("/api/accounts",
                "{\"email\":\"" + email + "\",\"password\":\"correct horse battery\",\"ageConfirmed\":true,\"termsAccepted\":true}");

        assertThat(response.status()).as(response.text()).isEqualTo(400);
        assertThat(response.json().at("/error/param").asString()).isEqualTo("email");
        assertThat(accounts()).isEqualTo(before);
    }

    @Test
    void aLoneSurrogateEmailCannotBeSignedInAsItsQuestionMarkForm() {
        String local = "lone" + System.nanoTime();
        postJson("/api/accounts", "{\"email\":\"" + local + "\\uD800@example.com\",\"password\":\"correct horse battery\","
                + "\"ageConfirmed\":true,\"termsAccepted\":true}");

        var asQuestionMark = http.post("/api/session", null,
                Map.of("email", local + "?@example.com", "password", "correct horse battery"));

        assertThat(asQuestionMark.status()).isEqualTo(401);
        assertThat(jdbc.sql("select count(*) from accounts where email like ?").param(local + "%")
                .query(Long.class).single()).isZero();
    }

    @Test
    void aLedgerPageFarPastTheEndIsA400NotA500() {
        Person person = signUp("pager");

        var overflow = http.get("/api/ledger?page=2147483647&size=200", person.session());
        var notANumber = http.get("/api/ledger?page=abc", person.session());
        var last = http.get("/api/ledger?page=" + (Integer.MAX_VALUE / 200) + "&size=200", person.session());

        assertThat(overflow.status()).as(overflow.body()).isEqualTo(400);
        assertThat(overflow.json().at("/error/param").asString()).isEqualTo("page");
        assertThat(notANumber.status()).isEqualTo(400);
        assertThat(notANumber.json().at("/error/param").asString()).isEqualTo("page");
        assertThat(last.status()).as(last.body()).isEqualTo(200);
        assertThat(last.json().get("lines")).isEmpty();
    }

    @Test
    void apiBodiesHaveASizeLimitAnnouncedOrNot() {
        long before = accounts();
        byte[] big = ("{\"email\":\"" + uniqueEmail("big") + "\",\"password\":\"correct horse battery\","
                + "\"ageConfirmed\":true,\"termsAccepted\":true,\"padding\":\"" + "x".repeat(1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);

        var announced = RawHttp.send("127.0.0.1", port, "POST", "/api/accounts", big, false,
                "Content-Type", "application/json");
        var chunked = RawHttp.send("127.0.0.1", port, "POST", "/api/accounts", big, true,
                "Content-Type", "application/json");

        assertThat(announced.status()).isEqualTo(413);
        assertThat(announced.json().at("/error/code").asString()).isEqualTo("request_too_large");
        assertThat(chunked.status()).as(chunked.text()).isEqualTo(413);
        assertThat(chunked.json().at("/error/code").asString()).isEqualTo("request_too_large");
        assertThat(accounts()).isEqualTo(before);
    }

    @Test
    void getErrorIsNoEndpointInTheApiShape() {
        var error = http.get("/error", null);

        assertThat(error.status()).isEqualTo(404);
        assertThat(error.json().at("/error/code").asString()).isEqualTo("not_found");
        assertThat(error.body()).doesNotContain("999");
    }

    @Test
    void springMvcsOwnRefusalsKeepTheir4xxInTheApiShape(CapturedOutput output) {
        var notAcceptable = RawHttp.send(port, "GET", "/api/billing/packs", null, "Accept", "application/xml");
        var unsupported = RawHttp.send(port, "POST", "/api/accounts", "email=x".getBytes(StandardCharsets.UTF_8),
                "Content-Type", "text/plain");
        var method = RawHttp.send(port, "PUT", "/api/accounts", "{}".getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/json");
        var malformed = postJson("/api/accounts", "{\"email\":");
        var deep = postJson("/api/accounts", "[".repeat(5000) + "]".repeat(5000));

        assertThat(notAcceptable.status()).isEqualTo(406);
        assertThat(notAcceptable.json().at("/error/code").asString()).isEqualTo("not_acceptable");
        assertThat(unsupported.status()).isEqualTo(415);
        assertThat(unsupported.json().at("/error/code").asString()).isEqualTo("unsupported_media_type");
        assertThat(method.status()).isEqualTo(405);
        assertThat(method.header("Allow")).contains("POST");
        assertThat(method.json().at("/error/code").asString()).isEqualTo("method_not_allowed");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().at("/error/code").asString()).isEqualTo("invalid_json");
        assertThat(deep.status()).isEqualTo(400);
        assertThat(output.getAll()).doesNotContain("Unexpected failure");
    }
}
