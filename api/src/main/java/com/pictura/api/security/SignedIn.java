package com.pictura.api.security;

import com.pictura.domain.account.AccountStatus;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * What Spring Security knows of a request that presented a live dashboard session: the {@link Caller}, the
 * account's status (a suspended or terminated account is still known, so the refusal can say why) and the token,
 * which the staff rule needs to ask when it was opened.
 */
final class SignedIn extends AbstractAuthenticationToken {

    private final Caller caller;
    private final AccountStatus status;
    private final String token;

    SignedIn(Caller caller, AccountStatus status, String token) {
        super(caller.roles().stream().map(role -> new SimpleGrantedAuthority("ROLE_" + role.name())).toList());
        this.caller = caller;
        this.status = status;
        this.token = token;
        setAuthenticated(true);
    }

    Caller caller() {
        return caller;
    }

    AccountStatus status() {
        return status;
    }

    String token() {
        return token;
    }

    @Override
    public Object getPrincipal() {
        return caller;
    }

    @Override
    public Object getCredentials() {
        // The token stays out of anything that might print the authentication.
        return null;
    }

    @Override
    public String getName() {
        return caller.accountId().value();
    }
}
