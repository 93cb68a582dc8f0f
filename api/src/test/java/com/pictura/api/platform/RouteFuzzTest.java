package com.pictura.api.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import com.pictura.api.IntegrationTest;
import com.pictura.api.RawHttp;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * A bounded, seeded fuzzer over every route the application maps (and the actuator's): malformed JSON, wrong
 * types, huge and negative numbers, NUL and other control characters, lone surrogates and invalid UTF-8,
 * oversized bodies, deep nesting, odd headers and query strings, with no credentials, a session, an API key or
 * garbage. Nothing may answer 5xx, and no refused request may change the ledger, the accounts, the keys or the
 * purchases. The seed and the count are fixed, so a failure reproduces ({@code -Dfuzz.seed=…} tries others).
 */
class RouteFuzzTest extends IntegrationTest {

    private static final Pattern VARIABLE = Pattern.compile("\\{[^}]*}|\\*\\*|\\*");

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping mapping;

    private static final String[] SEGMENTS = {"x", "%00", "..%2F..%2Fetc%2Fpasswd", "%E2%80%AE", "%ED%A0%80",
            "%C3%28", "%0d%0aSet-Cookie:%20x=1", "%27%20or%201=1--", "cs_test_" + "a".repeat(40), "%F0%9F%92%A9",
            "-1", "99999999999999999999", "a".repeat(3000), "res_x", "key_x", "acct_x", "%3Cscript%3E"};

    private static final String[] QUERIES = {"", "?page=2147483647&size=200", "?page=-1&size=0", "?size=99999999999",
            "?limit=abc", "?limit=0", "?created%5Bgte%5D=x", "?created%5Blt%5D=99999999999999999999", "?x=%00",
            "?amount=1e400", "?amount=-5", "?status=%0d%0a", "?succeeded=maybe", "?from=not-a-time&to=x",
            "?account=acct_%00", "?method=%ED%A0%80", "?page=1&page=2", "?" + "p=1&".repeat(500)};

    private static final String[][] CONTENT = {{"Content-Type", "application/json"}, {"Content-Type", "text/plain"},
            {"Content-Type", "application/x-www-form-urlencoded"}, {"Content-Type", "application/json; charset=ebcdic"},
            {"Content-Type", "multipart/form-data; boundary=x"}, {"Content-Type", "application/xml"}, {}};

    private static final String[][] EXTRA = {{}, {"Accept", "application/xml"}, {"Accept", "text/html"},
            {"Idempotency-Key", "k".repeat(300)}, {"Idempotency-Key", "\u00ff\u00fe"}, {"x-request-id", "../../%0d%0a"},
            {"Stripe-Signature", "t=abc,v1=x"}, {"Origin", "https://evil.example"}, {"Content-Encoding", "gzip"},
            {"Accept-Charset", "utf-7"}, {"Cookie", "pictura_session=ps_" + "x".repeat(100)},
            {"X-Forwarded-Host", "evil.example"}, {"Range", "bytes=0-1"}};

    private static List<byte[]> bodies() {
        List<String> json = new ArrayList<>(List.of("", "{", "[]", "null", "\"x\"", "123", "{}", "{\"a\":1,\"a\":2}",
                "{\"email\":123,\"password\":[],\"ageConfirmed\":\"true\"}",
                "{\"email\":\"zebra\\u0000q@example.com\",\"password\":\"correct horse\\u0000battery\",\"ageConfirmed\":1}",
                "{\"email\":\"a\\uD800@example.com\",\"password\":\"\\uDC00\\uD800\\uD800\\uD800\\uD800\\uD800\",\"ageConfirmed\":true,\"termsAccepted\":true}",
                "{\"email\":\"\\u202Eevil@example.com\",\"password\":\"correct horse battery\",\"ageConfirmed\":true,\"termsAccepted\":true}",
                "{\"name\":\"a\\u0000b\"}", "{\"name\":{\"a\":1}}", "{\"name\":\"\\u0007\\u001b[31m\"}",
                "{\"packId\":\"credits-500\\u0000\"}", "{\"packId\":12}",
                "{\"model\":\"llama-3.1-8b-instruct\",\"messages\":\"x\"}",
                "{\"model\":\"llama-3.1-8b-instruct\",\"messages\":[{\"role\":\"user\",\"content\":\"\\u0000\"}],\"max_tokens\":-5}",
                "{\"model\":\"llama-3.1-8b-instruct\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":1e400}",
                "{\"model\":\"llama-3.1-8b-instruct\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"n\":99999999999999999999}",
                "{\"model\":\"flux-schnell\",\"prompt\":\"x\",\"n\":1000000,\"size\":\"99999x99999\"}",
                "{\"model\":\"flux-schnell\",\"prompt\":\"\\uD800\",\"steps\":-1,\"seed\":1e999}",
                "{\"model\":\"\\u0000\",\"prompt\":[1,2]}", "{\"id\":\"evt_x\",\"type\":\"checkout.session.completed\"}",
                "a=%00&b=%ZZ&c", "[".repeat(20_000) + "]".repeat(20_000), "{\"a\":".repeat(3000) + "1" + "}".repeat(3000)));
        List<byte[]> all = new ArrayList<>();
        json.forEach(s -> all.add(s.getBytes(StandardCharsets.UTF_8)));
        all.add(new byte[]{'{', '"', 'e', 'm', 'a', 'i', 'l', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
        all.add(new byte[]{'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'});
        all.add(("{\"name\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8));
        all.add(null);
        return all;
    }

    private record Target(String method, String pattern) {
    }

    private record Ledger(long walletEvents, long accounts, long keys, long stripeEvents, long purchases) {
    }

    private Ledger ledger(Person person) {
        String wallet = "wal_" + person.accountId().substring("acct_".length());
        return jdbc.sql("""
                select (select count(*) from domain_event_entry where aggregate_identifier = ?),
                       (select count(*) from accounts),
                       (select count(*) from api_keys where account_id = ?),
                       (select count(*) from stripe_events),
                       (select count(*) from stripe_purchases)""")
                .params(wallet, person.accountId())
                .query((rs, n) -> new Ledger(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)))
                .single();
    }

    private List<Target> targets() {
        Set<Target> targets = new LinkedHashSet<>();
        for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
            Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
            for (String pattern : info.getPatternValues()) {
                if (methods.isEmpty()) {
                    targets.add(new Target("GET", pattern));
                    targets.add(new Target("POST", pattern));
                }
                methods.forEach(m -> targets.add(new Target(m.name(), pattern)));
            }
        }
        for (String actuator : List.of("/actuator", "/actuator/health", "/actuator/health/readiness",
                "/actuator/health/liveness", "/actuator/prometheus", "/actuator/metrics", "/actuator/metrics/{name}",
                "/actuator/info", "/api/nothing", "/v1/nothing", "/", "/swagger-ui.html")) {
            targets.add(new Target("GET", actuator));
            targets.add(new Target("POST", actuator));
        }
        for (String odd : List.of("PUT", "DELETE", "PATCH", "OPTIONS", "TRACE")) {
            targets.add(new Target(odd, "/api/accounts"));
            targets.add(new Target(odd, "/v1/chat/completions"));
        }
        return new ArrayList<>(targets);
    }

    @Test
    void noRouteAnswers5xxAndNoRefusedRequestChangesTheLedger() {
        long seed = Long.getLong("fuzz.seed", 11L);
        Random random = new Random(seed);
        Person person = signUp("fuzz");
        String apiKey = http.post("/api/keys", person.session(), Map.of("name", "fuzz")).json().get("key").asString();
        String session = person.session();
        List<byte[]> bodies = bodies();
        List<Target> targets = targets();
        assertThat(targets).hasSizeGreaterThan(30);
        List<String> failures = new ArrayList<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        Map<String, Long> slowest = new java.util.HashMap<>();
        int sent = 0;

        for (Target target : targets) {
            boolean hasBody = target.method().equals("POST") || target.method().equals("PUT")
                    || target.method().equals("PATCH");
            int rounds = hasBody ? bodies.size() : 8;
            for (int round = 0; round < rounds; round++) {
                String path = VARIABLE.matcher(target.pattern()).replaceAll(
                        m -> SEGMENTS[random.nextInt(SEGMENTS.length)].replace("$", "\\$"));
                String query = QUERIES[random.nextInt(QUERIES.length)];
                byte[] body = hasBody ? bodies.get(round) : (round == 0 ? "{".getBytes(StandardCharsets.UTF_8) : null);
                List<String> headers = new ArrayList<>();
                switch (random.nextInt(5)) {
                    case 1 -> headers.addAll(List.of("Authorization", "Bearer " + session));
                    case 2 -> headers.addAll(List.of("Authorization", "Bearer " + apiKey));
                    case 3 -> headers.addAll(List.of("Authorization", "Bearer pk_" + "\u00e9".repeat(40)));
                    case 4 -> headers.addAll(List.of("Authorization", "Basic Zm9vOmJhcg=="));
                    default -> { }
                }
                headers.addAll(List.of(CONTENT[random.nextInt(CONTENT.length)]));
                headers.addAll(List.of(EXTRA[random.nextInt(EXTRA.length)]));
                Ledger before = ledger(person);
                RawHttp.Response response;
                long began = System.nanoTime();
                try {
                    response = RawHttp.send("127.0.0.1", port, target.method(), path + query, body,
                            body != null && random.nextInt(4) == 0, headers.toArray(String[]::new));
                } catch (RuntimeException e) {
                    failures.add(target + " " + abbreviate(path + query) + ": no answer (" + e + ")");
                    continue;
                }
                sent++;
                statuses.merge(response.status(), 1, Integer::sum);
                slowest.merge(target.method() + " " + target.pattern(), (System.nanoTime() - began) / 1_000_000,
                        Math::max);
                String what = target.method() + " " + abbreviate(path + query) + " " + headers + " body="
                        + (body == null ? "none" : abbreviate(new String(body, StandardCharsets.UTF_8)));
                if (response.status() >= 500) {
                    failures.add(response.status() + " for " + what + ": " + abbreviate(response.text()));
                }
                Ledger after = ledger(person);
                if (response.status() >= 400 && !after.equals(before)) {
                    failures.add("refused with " + response.status() + " yet changed " + before + " -> " + after
                            + ": " + what);
                }
                if (target.pattern().equals("/api/session") && target.method().equals("DELETE")
                        && response.status() < 300) {
                    session = http.post("/api/session", null, Map.of("email", person.email(),
                            "password", person.password())).json().get("token").asString();
                }
            }
        }

        System.out.printf("RouteFuzzTest: seed %d, %d routes, %d requests, statuses %s; slowest (ms) %s%n", seed,
                targets.size(), sent, statuses, slowest.entrySet().stream()
                        .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(5).toList());
        assertThat(failures).isEmpty();
        assertThat(sent).isGreaterThan(500);
    }

    private static String abbreviate(String text) {
        String flat = text.replaceAll("\\p{Cntrl}", "?");
        return flat.length() > 160 ? flat.substring(0, 160) + "…(" + flat.length() + ")" : flat;
    }
}
