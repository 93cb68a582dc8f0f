package com.pictura.domain.apikey;

import com.pictura.domain.InvalidCommand;
import com.pictura.domain.account.AccountId;
import com.pictura.domain.actor.Actor;
import com.pictura.domain.apikey.ApiKeyCommand.IssueApiKey;
import com.pictura.domain.apikey.ApiKeyCommand.RevokeApiKey;
import com.pictura.domain.apikey.ApiKeyEvent.ApiKeyIssued;
import com.pictura.domain.apikey.ApiKeyEvent.ApiKeyRevoked;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ApiKeyTest {

    private static final ApiKeyId KEY = new ApiKeyId("key_one");
    private static final AccountId ALICE = new AccountId("acct_alice");
    private static final Actor SELF = Actor.account("acct_alice");
    private static final String HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private static final String PREFIX = "sk-pic-ab12";

    private AggregateTestFixture<ApiKey> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(ApiKey.class);
    }

    @Test
    void issuingAKeyRecordsOnlyTheHashOfItsSecret() {
        fixture.givenNoPriorActivity()
                .when(new IssueApiKey(KEY, ALICE, "  laptop  ", PREFIX, HASH, SELF))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new ApiKeyIssued(KEY, ALICE, "laptop", PREFIX, HASH));
    }

    @Test
    void aKeyBelongsToAnAccount() {
        fixture.givenNoPriorActivity()
                .when(new IssueApiKey(KEY, null, "laptop", PREFIX, HASH, SELF))
                .expectException(InvalidCommand.class)
                .expectNoEvents();
    }

    @ParameterizedTest(name = "name \"{0}\" is refused")
    @NullAndEmptySource
    @ValueSource(strings = {"   ",
            "12345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901"})
    void aKeyNeedsAShortName(String name) {
        fixture.givenNoPriorActivity()
                .when(new IssueApiKey(KEY, ALICE, name, PREFIX, HASH, SELF))
                .expectException(InvalidCommand.class)
                .expectNoEvents();
    }

    @Test
    void aNameOfAHundredCharactersIsAccepted() {
        String name = "n".repeat(100);
        fixture.givenNoPriorActivity()
                .when(new IssueApiKey(KEY, ALICE, name, PREFIX, HASH, SELF))
                .expectEvents(new ApiKeyIssued(KEY, ALICE, name, PREFIX, HASH));
    }

    @ParameterizedTest(name = "secretHash \"{0}\" is refused")
    @NullAndEmptySource
    @ValueSource(strings = {
            "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08",  // upper case
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0",   // 63 characters
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a080", // 65 characters
            "zf86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",  // not hex
            "sk-pic-the-secret-itself"})
    void theSecretHashMustBeAHexSha256(String secretHash) {
        fixture.givenNoPriorActivity()
                .when(new IssueApiKey(KEY, ALICE, "laptop", PREFIX, secretHash, SELF))
                .expectException(InvalidCommand.class)
                .expectExceptionMessage("secretHash must be a hex SHA-256")
                .expectNoEvents();
    }

    @ParameterizedTest(name = "prefix \"{0}\" is refused")
    @NullAndEmptySource
    @ValueSource(strings = {"  ", "sk-pic-0123456789"})
    void aKeyNeedsAShortPrefix(String prefix) {
        fixture.givenNoPriorActivity()
                .when(new IssueApiKey(KEY, ALICE, "laptop", prefix, HASH, SELF))
                .expectException(InvalidCommand.class)
                .expectExceptionMessage("prefix is required (16 characters at most)")
                .expectNoEvents();
    }

    @Test
    void revokingAKey() {
        fixture.given(issued())
                .when(new RevokeApiKey(KEY, "leaked on GitHub", SELF))
                .expectEvents(new ApiKeyRevoked(KEY, ALICE, "leaked on GitHub"));
    }

    @Test
    void revokedKeyEmitsNothingOnASecondRevoke() {
        fixture.given(issued(), new ApiKeyRevoked(KEY, ALICE, "leaked on GitHub"))
                .when(new RevokeApiKey(KEY, "still leaked", SELF))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void revokingNeedsAReason() {
        fixture.given(issued())
                .when(new RevokeApiKey(KEY, " ", SELF))
                .expectException(InvalidCommand.class)
                .expectNoEvents();
    }

    private static ApiKeyIssued issued() {
        return new ApiKeyIssued(KEY, ALICE, "laptop", PREFIX, HASH);
    }
}
