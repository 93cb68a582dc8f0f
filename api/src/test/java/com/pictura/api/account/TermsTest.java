package com.pictura.api.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.pictura.api.IntegrationTest;
import com.pictura.api.security.Secrets;
import org.junit.jupiter.api.Test;

class TermsTest extends IntegrationTest {

    @Test
    void theBundledTermsAreServedWithADigestAsTheirVersion() {
        var terms = http.get("/api/terms", null);

        assertThat(terms.status()).isEqualTo(200);
        String text = terms.json().get("text").asString();
        assertThat(text).contains("18 years old", "25 free promotional credits", "Credits do not expire",
                "never its prompt or its output");
        assertThat(terms.json().get("version").asString()).isEqualTo("sha256:" + Secrets.sha256(text).substring(0, 12));
    }

    @Test
    void signUpRecordsTheVersionOfTheTermsAccepted() {
        String version = http.get("/api/terms", null).json().get("version").asString();

        Person rita = signUp("rita");

        assertThat(jdbc.sql("select terms_version from accounts where account_id = ?").param(rita.accountId())
                .query(String.class).single()).isEqualTo(version);
        assertThat(jdbc.sql("select terms_accepted_at is not null from accounts where account_id = ?")
                .param(rita.accountId()).query(Boolean.class).single()).isTrue();
        assertThat(jdbc.sql("""
                        select count(*) from domain_event_entry where aggregate_identifier = ?
                         and payload_type like '%TermsAccepted' and convert_from(payload, 'UTF8') like ?""")
                .params(rita.accountId(), "%" + version + "%").query(Long.class).single()).isEqualTo(1L);
    }

    @Test
    void signUpWithoutAcceptingTheTermsIsRefusedAndWritesNothing() {
        long events = count("domain_event_entry");
        long mails = count("mail_outbox");
        long credentials = count("account_credentials");
        String email = uniqueEmail("no-terms");
        String password = "correct horse battery staple";

        var missing = http.post("/api/accounts", null,
                Map.of("email", email, "password", password, "ageConfirmed", true));
        var declined = http.post("/api/accounts", null,
                Map.of("email", email, "password", password, "ageConfirmed", true, "termsAccepted", false));
        var wrongType = http.post("/api/accounts", null,
                Map.of("email", email, "password", password, "ageConfirmed", true, "termsAccepted", "yes"));

        for (var refused : new com.pictura.api.Http.Response[] {missing, declined, wrongType}) {
            assertThat(refused.status()).as(refused.body()).isEqualTo(400);
            assertThat(refused.json().at("/error/param").asString()).isEqualTo("termsAccepted");
        }
        assertThat(jdbc.sql("select count(*) from accounts where email = ?").param(email).query(Long.class).single())
                .isZero();
        assertThat(count("account_credentials")).isEqualTo(credentials);
        assertThat(count("mail_outbox")).isEqualTo(mails);
        assertThat(count("domain_event_entry")).isEqualTo(events);
    }

    private long count(String table) {
        return jdbc.sql("select count(*) from " + table).query(Long.class).single();
    }
}
