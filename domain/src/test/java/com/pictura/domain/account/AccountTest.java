package com.pictura.domain.account;

import java.util.EnumSet;
import java.util.Set;

import com.pictura.domain.InvalidCommand;
import com.pictura.domain.account.AccountCommand.GrantRole;
import com.pictura.domain.account.AccountCommand.RegisterAccount;
import com.pictura.domain.account.AccountCommand.ReinstateAccount;
import com.pictura.domain.account.AccountCommand.RevokeRole;
import com.pictura.domain.account.AccountCommand.SuspendAccount;
import com.pictura.domain.account.AccountCommand.TerminateAccount;
import com.pictura.domain.account.AccountCommand.VerifyEmail;
import com.pictura.domain.account.AccountEvent.AccountRegistered;
import com.pictura.domain.account.AccountEvent.AccountReinstated;
import com.pictura.domain.account.AccountEvent.AccountSuspended;
import com.pictura.domain.account.AccountEvent.AccountTerminated;
import com.pictura.domain.account.AccountEvent.EmailVerified;
import com.pictura.domain.account.AccountEvent.RoleGranted;
import com.pictura.domain.account.AccountEvent.RoleRevoked;
import com.pictura.domain.account.AccountEvent.TermsAccepted;
import com.pictura.domain.account.AccountRefusals.AccountIsTerminated;
import com.pictura.domain.account.AccountRefusals.AccountNotSuspended;
import com.pictura.domain.actor.Actor;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class AccountTest {

    private static final AccountId ALICE = new AccountId("acct_alice");
    private static final Actor SELF = Actor.account("acct_alice");
    private static final Actor SUPPORT = Actor.staff("acct_support");
    private static final String EMAIL = "alice@example.com";
    private static final String TERMS = "2025-06-01";

    private AggregateTestFixture<Account> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Account.class);
    }

    // --- registration ---

    @Test
    void registrationRecordsTheAccount() {
        fixture.givenNoPriorActivity()
                .when(new RegisterAccount(ALICE, EMAIL, true, TERMS, null, SELF))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new AccountRegistered(ALICE, EMAIL, Set.of()), new TermsAccepted(ALICE, TERMS));
    }

    @ParameterizedTest(name = "terms version \"{0}\" is refused")
    @NullAndEmptySource
    @ValueSource(strings = {"   "})
    void registrationRequiresTheAcceptedTermsVersion(String version) {
        fixture.givenNoPriorActivity()
                .when(new RegisterAccount(ALICE, EMAIL, true, version, null, SELF))
                .expectException(InvalidCommand.class)
                .expectExceptionMessage("termsVersion is required")
                .expectNoEvents();
    }

    @Test
    void registrationRequiresAgeConfirmation() {
        fixture.givenNoPriorActivity()
                .when(new RegisterAccount(ALICE, EMAIL, false, TERMS, null, SELF))
                .expectException(InvalidCommand.class)
                .expectExceptionMessage("you must confirm that you are 18 or older")
                .expectNoEvents();
    }

    @ParameterizedTest(name = "\"{0}\" is recorded as \"{1}\"")
    @CsvSource(delimiter = '|', value = {
            "Alice@Example.COM       | alice@example.com",
            "'  alice@example.com  ' | alice@example.com",
            "'\tBOB.Smith+tag@Mail.Example.org\n' | bob.smith+tag@mail.example.org",
    })
    void registrationNormalizesTheEmail(String raw, String normalized) {
        fixture.givenNoPriorActivity()
                .when(new RegisterAccount(ALICE, raw, true, TERMS, null, SELF))
                .expectEvents(new AccountRegistered(ALICE, normalized, Set.of()), new TermsAccepted(ALICE, TERMS));
    }

    @ParameterizedTest(name = "\"{0}\" is refused")
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "alice", "alice@", "@example.com", "alice@example", "alice@@example.com",
            "al ice@example.com", "alice@exa mple.com", "alice@example.com@evil.org",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@example.com"})
    void invalidEmailIsRefused(String email) {
        fixture.givenNoPriorActivity()
                .when(new RegisterAccount(ALICE, email, true, TERMS, null, SELF))
                .expectException(InvalidCommand.class)
                .expectNoEvents();
    }

    @Test
    void registrationCanCarryStaffRoles() {
        fixture.givenNoPriorActivity()
                .when(new RegisterAccount(ALICE, EMAIL, true, TERMS, Set.of(Role.SUPPORT, Role.AUDITOR), SELF))
                .expectEvents(new AccountRegistered(ALICE, EMAIL, EnumSet.of(Role.SUPPORT, Role.AUDITOR)),
                        new TermsAccepted(ALICE, TERMS));
    }

    // --- email verification ---

    @Test
    void verifyingTheEmailRecordsTheAddressThatWasVerified() {
        fixture.given(registered())
                .when(new VerifyEmail(ALICE, SELF))
                .expectEvents(new EmailVerified(ALICE, EMAIL));
    }

    @Test
    void verifyingAVerifiedEmailAgainChangesNothing() {
        fixture.given(registered(), new EmailVerified(ALICE, EMAIL))
                .when(new VerifyEmail(ALICE, SELF))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void aTerminatedAccountCannotVerifyItsEmail() {
        fixture.given(registered(), terminated())
                .when(new VerifyEmail(ALICE, SELF))
                .expectException(AccountIsTerminated.class)
                .expectNoEvents();
    }

    // --- suspension ---

    @Test
    void suspendingAnActiveAccount() {
        fixture.given(registered())
                .when(new SuspendAccount(ALICE, " chargeback ", SUPPORT))
                .expectEvents(new AccountSuspended(ALICE, "chargeback"));
    }

    @Test
    void suspendIsIdempotent() {
        fixture.given(registered(), suspended())
                .when(new SuspendAccount(ALICE, "again", SUPPORT))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void suspendNeedsAReason() {
        fixture.given(registered())
                .when(new SuspendAccount(ALICE, "", SUPPORT))
                .expectException(InvalidCommand.class)
                .expectNoEvents();
    }

    @Test
    void reinstatingASuspendedAccount() {
        fixture.given(registered(), suspended())
                .when(new ReinstateAccount(ALICE, "chargeback withdrawn", SUPPORT))
                .expectEvents(new AccountReinstated(ALICE, "chargeback withdrawn"));
    }

    @Test
    void reinstateOnlyWhenSuspended() {
        fixture.given(registered())
                .when(new ReinstateAccount(ALICE, "just because", SUPPORT))
                .expectException(AccountNotSuspended.class)
                .expectNoEvents();
    }

    @Test
    void reinstateAfterReinstateIsRefused() {
        fixture.given(registered(), suspended(), new AccountReinstated(ALICE, "ok"))
                .when(new ReinstateAccount(ALICE, "ok", SUPPORT))
                .expectException(AccountNotSuspended.class)
                .expectNoEvents();
    }

    // --- termination ---

    @Test
    void terminatingAnAccount() {
        fixture.given(registered(), suspended())
                .when(new TerminateAccount(ALICE, "Terms §10", SUPPORT))
                .expectEvents(new AccountTerminated(ALICE, "Terms §10"));
    }

    @Test
    void terminateIsIdempotent() {
        fixture.given(registered(), terminated())
                .when(new TerminateAccount(ALICE, "again", SUPPORT))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void terminatedAccountRefusesSuspend() {
        fixture.given(registered(), terminated())
                .when(new SuspendAccount(ALICE, "chargeback", SUPPORT))
                .expectException(AccountIsTerminated.class)
                .expectNoEvents();
    }

    @Test
    void terminatedAccountRefusesReinstate() {
        fixture.given(registered(), suspended(), terminated())
                .when(new ReinstateAccount(ALICE, "mistake", SUPPORT))
                .expectException(AccountIsTerminated.class)
                .expectNoEvents();
    }

    @Test
    void terminatedAccountRefusesGrantRole() {
        fixture.given(registered(), terminated())
                .when(new GrantRole(ALICE, Role.ADMIN, "promotion", SUPPORT))
                .expectException(AccountIsTerminated.class)
                .expectNoEvents();
    }

    @Test
    void rolesCanStillBeRevokedFromATerminatedAccount() {
        fixture.given(new AccountRegistered(ALICE, EMAIL, Set.of(Role.SUPPORT)), terminated())
                .when(new RevokeRole(ALICE, Role.SUPPORT, "left the company", SUPPORT))
                .expectEvents(new RoleRevoked(ALICE, Role.SUPPORT, "left the company"));
    }

    // --- roles ---

    @Test
    void grantingARole() {
        fixture.given(registered())
                .when(new GrantRole(ALICE, Role.AUDITOR, "audit Q3", SUPPORT))
                .expectEvents(new RoleGranted(ALICE, Role.AUDITOR, "audit Q3"));
    }

    @Test
    void grantingAHeldRoleChangesNothing() {
        fixture.given(new AccountRegistered(ALICE, EMAIL, Set.of(Role.AUDITOR)))
                .when(new GrantRole(ALICE, Role.AUDITOR, "audit Q3", SUPPORT))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void revokingAGrantedRole() {
        fixture.given(registered(), new RoleGranted(ALICE, Role.ADMIN, "promotion"))
                .when(new RevokeRole(ALICE, Role.ADMIN, "demotion", SUPPORT))
                .expectEvents(new RoleRevoked(ALICE, Role.ADMIN, "demotion"));
    }

    @Test
    void revokingARoleNotHeldChangesNothing() {
        fixture.given(registered(), new RoleGranted(ALICE, Role.ADMIN, "promotion"),
                        new RoleRevoked(ALICE, Role.ADMIN, "demotion"))
                .when(new RevokeRole(ALICE, Role.ADMIN, "demotion", SUPPORT))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void grantingNeedsARole() {
        fixture.given(registered())
                .when(new GrantRole(ALICE, null, "promotion", SUPPORT))
                .expectException(InvalidCommand.class)
                .expectNoEvents();
    }

    @Test
    void revokingNeedsAReason() {
        fixture.given(registered(), new RoleGranted(ALICE, Role.ADMIN, "promotion"))
                .when(new RevokeRole(ALICE, Role.ADMIN, null, SUPPORT))
                .expectException(InvalidCommand.class)
                .expectNoEvents();
    }

    private static AccountRegistered registered() {
        return new AccountRegistered(ALICE, EMAIL, Set.of());
    }

    private static AccountSuspended suspended() {
        return new AccountSuspended(ALICE, "chargeback");
    }

    private static AccountTerminated terminated() {
        return new AccountTerminated(ALICE, "Terms §10");
    }
}
