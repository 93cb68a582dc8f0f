package com.pictura.api.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.pictura.api.IntegrationTest;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The application as an operator runs it with a mail server (spring.mail.host) and their own Terms of Service
 * (pictura.terms.file): a real SMTP server (GreenMail) in this JVM receives the verification mail, and its link,
 * on the public base URL, verifies the account. A context of its own, so it is one class, closed after it: left
 * running, it would be a second node on the shared database, replaying and sending behind the other tests' back.
 */
@DirtiesContext
class SmtpMailTest extends IntegrationTest {

    private static final int SMTP_PORT = freePort();
    private static final String OPERATOR_TERMS = "# Example Corp terms\n\nBe kind. 18+ only.\n";
    private static final Pattern LINK = Pattern.compile("https://pictura\\.example/#/verify-email\\?token=(ev_\\w+)");

    private static GreenMail smtp;

    @DynamicPropertySource
    static void operatorSettings(DynamicPropertyRegistry registry) throws IOException {
        Path terms = Files.createTempFile("terms", ".md");
        Files.writeString(terms, OPERATOR_TERMS);
        terms.toFile().deleteOnExit();
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> SMTP_PORT);
        registry.add("pictura.billing.public-url", () -> "https://pictura.example/");
        registry.add("pictura.mail.from", () -> "Pictura <no-reply@pictura.example>");
        registry.add("pictura.mail.retry-delay", () -> "PT0.5S");
        registry.add("pictura.mail.sweep-interval", () -> "PT0.5S");
        registry.add("pictura.terms.file", terms::toString);
        registry.add("pictura.terms.version", () -> "2026-12-01");
    }

    @BeforeAll
    static void startSmtp() {
        smtp = startedSmtp();
    }

    @AfterAll
    static void stopSmtp() {
        smtp.stop();
    }

    @Test
    void theVerificationMailArrivesBySmtpAndItsLinkVerifiesTheAccount() throws Exception {
        Person una = signUpUnverified("una");

        MimeMessage mail = await().atMost(Duration.ofSeconds(20)).until(() -> mailTo(una.email()), m -> m != null);

        assertThat(mail.getSubject()).isEqualTo("Confirm your email address for Pictura");
        assertThat(mail.getFrom()[0].toString()).isEqualTo("Pictura <no-reply@pictura.example>");
        Matcher link = LINK.matcher((String) mail.getContent());
        assertThat(link.find()).as((String) mail.getContent()).isTrue();
        var verified = http.post("/api/email-verifications", null, Map.of("token", link.group(1)));
        assertThat(verified.status()).as(verified.body()).isEqualTo(204);
        assertThat(http.get("/api/me", una.session()).json().get("emailVerified").asBoolean()).isTrue();
        assertThat(http.post("/api/keys", una.session(), Map.of("name", "verified by mail")).status()).isEqualTo(201);
        // Sent: the link is kept nowhere but in the mail, and there is no built-in mailbox to read.
        assertThat(jdbc.sql("select count(*) from mail_outbox where account_id = ? and sent_at is not null "
                + "and body is null and link is null").param(una.accountId()).query(Long.class).single()).isEqualTo(1L);
        assertThat(http.get("/api/outbox", una.session()).status()).isEqualTo(404);
    }

    @Test
    void aSignUpWhileTheMailServerIsDownSucceedsAndItsMailFollowsWhenTheServerIsBack() throws Exception {
        smtp.stop();
        Person vic;
        try {
            vic = signUpUnverified("vic");
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(jdbc.sql(
                            "select last_error from mail_outbox where account_id = ? and sent_at is null")
                    .param(vic.accountId()).query(String.class).optional()).hasValueSatisfying(error ->
                    assertThat(error).isNotBlank()));
        } finally {
            smtp = startedSmtp();
        }

        MimeMessage mail = await().atMost(Duration.ofSeconds(30)).until(() -> mailTo(vic.email()), m -> m != null);

        assertThat(LINK.matcher((String) mail.getContent()).find()).isTrue();
        assertThat(jdbc.sql("select attempts from mail_outbox where account_id = ?").param(vic.accountId())
                .query(Integer.class).single()).isGreaterThan(1);
    }

    @Test
    void theOperatorsTermsAreServedAndTheirVersionIsRecordedAtSignUp() {
        var terms = http.get("/api/terms", null);
        assertThat(terms.json().get("text").asString()).isEqualTo(OPERATOR_TERMS);
        assertThat(terms.json().get("version").asString()).isEqualTo("2026-12-01");

        Person walt = signUpUnverified("walt");

        assertThat(jdbc.sql("select terms_version from accounts where account_id = ?").param(walt.accountId())
                .query(String.class).single()).isEqualTo("2026-12-01");
    }

    private static MimeMessage mailTo(String email) throws MessagingException {
        List<MimeMessage> found = Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
            try {
                return m.getRecipients(Message.RecipientType.TO)[0].toString().equals(email);
            } catch (MessagingException e) {
                return false;
            }
        }).toList();
        return found.isEmpty() ? null : found.get(0);
    }

    private static GreenMail startedSmtp() {
        GreenMail server = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        server.start();
        return server;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
