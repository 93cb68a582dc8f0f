package com.pictura.api.staff;

import com.pictura.api.security.Caller;
import com.pictura.api.security.StaffOnly;
import com.pictura.api.web.ApiException;
import com.pictura.domain.account.AccountCommand.GrantRole;
import com.pictura.domain.account.AccountCommand.RevokeRole;
import com.pictura.domain.account.AccountId;
import com.pictura.domain.account.Role;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Admins grant and revoke staff roles, as events on the account. The first admin comes from configuration
 * ({@code PICTURA_BOOTSTRAP_ADMINS}) when that email signs up.
 */
@RestController
@StaffOnly(Role.ADMIN)
public class AdminController {

    private final AccountSupport support;
    private final CommandGateway commands;

    public AdminController(AccountSupport support, CommandGateway commands) {
        this.support = support;
        this.commands = commands;
    }

    @PostMapping("/admin/accounts/{id}/roles/{role}/grant")
    ResponseEntity<Void> grant(Caller admin, @PathVariable String id, @PathVariable String role,
                               @RequestBody(required = false) StaffRequests.Reason body) {
        commands.sendAndWait(new GrantRole(account(id), role(role), StaffRequests.reason(body), admin.asStaff()));
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/admin/accounts/{id}/roles/{role}/revoke")
    ResponseEntity<Void> revoke(Caller admin, @PathVariable String id, @PathVariable String role,
                                @RequestBody(required = false) StaffRequests.Reason body) {
        commands.sendAndWait(new RevokeRole(account(id), role(role), StaffRequests.reason(body), admin.asStaff()));
        return ResponseEntity.noContent().build();
    }

    private AccountId account(String id) {
        return new AccountId(support.account(id).accountId());
    }

    private static Role role(String name) {
        try {
            return Role.valueOf(name.toUpperCase());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("role", "role is one of SUPPORT, AUDITOR, ADMIN");
        }
    }
}
