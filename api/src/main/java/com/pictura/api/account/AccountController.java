package com.pictura.api.account;

import java.net.URI;
import java.time.Instant;
import java.util.Set;

import com.pictura.api.security.Caller;
import com.pictura.api.web.ApiException;
import com.pictura.domain.account.Role;
import com.pictura.domain.wallet.Credits;
import com.pictura.domain.wallet.WalletId;
import com.pictura.projections.account.AccountRepository;
import com.pictura.projections.account.AccountRow;
import com.pictura.projections.wallet.BalanceRow;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api")
public class AccountController {

    private final SignUp signUp;
    private final AccountRepository accounts;
    private final FreshBalances balances;

    public AccountController(SignUp signUp, AccountRepository accounts, FreshBalances balances) {
        this.signUp = signUp;
        this.accounts = accounts;
        this.balances = balances;
    }

    public record SignUpRequest(String email, String password, Boolean ageConfirmed, Boolean termsAccepted) {
    }

    public record SignedUp(String id, String email, String freeCredits) {
    }

    @PostMapping("/accounts")
    ResponseEntity<SignedUp> signUp(@RequestBody SignUpRequest request, HttpServletRequest http) {
        if (request == null) {
            throw ApiException.invalid(null,
                    "a JSON body with email, password, ageConfirmed and termsAccepted is required");
        }
        var registered = signUp.register(request.email(), request.password(),
                Boolean.TRUE.equals(request.ageConfirmed()), Boolean.TRUE.equals(request.termsAccepted()),
                http.getRemoteAddr());
        return ResponseEntity.created(URI.create("/api/me"))
                .body(new SignedUp(registered.accountId().value(), registered.email(),
                        registered.freeCredits().toString()));
    }

    public record Balance(String available, String promotional, String paid, String reserved) {
        public static Balance of(BalanceRow row) {
            if (row == null) {
                return new Balance(Credits.ZERO.toString(), Credits.ZERO.toString(), Credits.ZERO.toString(),
                        Credits.ZERO.toString());
            }
            return new Balance(row.available().toString(), row.promotional().toString(), row.paid().toString(),
                    row.reserved().toString());
        }
    }

    public record Me(String id, String email, String status, Set<Role> roles, Instant registeredAt,
                     boolean emailVerified, Balance balance) {
    }

    @GetMapping("/me")
    Me me(Caller caller) {
        AccountRow account = accounts.findById(caller.accountId().value())
                .orElseThrow(() -> ApiException.notFound("No such account."));
        BalanceRow balance = balances.read(WalletId.of(caller.accountId())).orElse(null);
        return new Me(account.accountId(), account.email(), account.status().name().toLowerCase(),
                account.roles(), account.registeredAt(), account.emailVerified(), Balance.of(balance));
    }
}
