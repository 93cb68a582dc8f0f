package com.pictura.api.staff;

import java.net.URI;
import java.util.List;
import java.util.Map;

import com.pictura.api.security.Caller;
import com.pictura.api.security.StaffOnly;
import com.pictura.api.staff.AccountSupport.AccountSummary;
import com.pictura.api.staff.AccountSupport.AdjustmentOutcome;
import com.pictura.domain.account.Role;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Support staff's API: find an account, see it, correct it (docs/audit.md). */
@RestController
@RequestMapping("/admin")
@StaffOnly(Role.SUPPORT)
public class SupportController {

    private final AccountSupport support;

    public SupportController(AccountSupport support) {
        this.support = support;
    }

    @GetMapping("/accounts")
    List<AccountSummary> find(Caller staff, @RequestParam(required = false) String q) {
        return support.find(q);
    }

    @GetMapping("/accounts/{id}")
    AccountSummary account(Caller staff, @PathVariable String id) {
        return support.summary(id);
    }

    /** 201 when applied; 202 when it waits for a second staff member's approval. */
    @PostMapping("/accounts/{id}/adjustments")
    ResponseEntity<AdjustmentOutcome> adjust(Caller staff, @PathVariable String id,
                                             @RequestBody(required = false) StaffRequests.Adjustment request) {
        AdjustmentOutcome outcome = support.adjust(staff, id, request);
        return ResponseEntity.status(outcome.applied() ? HttpStatus.CREATED : HttpStatus.ACCEPTED)
                .location(URI.create("/admin/accounts/" + id)).body(outcome);
    }

    @PostMapping("/accounts/{id}/adjustments/{requestId}/approve")
    ResponseEntity<Void> approve(Caller staff, @PathVariable String id, @PathVariable String requestId,
                                 @RequestBody(required = false) StaffRequests.Reason body) {
        support.decide(staff, id, requestId, true, StaffRequests.reason(body));
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/accounts/{id}/adjustments/{requestId}/reject")
    ResponseEntity<Void> reject(Caller staff, @PathVariable String id, @PathVariable String requestId,
                                @RequestBody(required = false) StaffRequests.Reason body) {
        support.decide(staff, id, requestId, false, StaffRequests.reason(body));
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/accounts/{id}/refunds")
    ResponseEntity<Map<String, String>> refund(Caller staff, @PathVariable String id,
                                               @RequestBody(required = false) StaffRequests.Refund request) {
        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("id", support.refund(staff, id, request)));
    }

    @PostMapping("/accounts/{id}/suspend")
    ResponseEntity<Void> suspend(Caller staff, @PathVariable String id,
                                 @RequestBody(required = false) StaffRequests.Reason body) {
        return change(staff, id, AccountSupport.StatusChange.SUSPEND, body);
    }

    @PostMapping("/accounts/{id}/reinstate")
    ResponseEntity<Void> reinstate(Caller staff, @PathVariable String id,
                                   @RequestBody(required = false) StaffRequests.Reason body) {
        return change(staff, id, AccountSupport.StatusChange.REINSTATE, body);
    }

    /** Credits forfeited, keys and sessions stop at once; the wallet stays closed for good. */
    @PostMapping("/accounts/{id}/terminate")
    ResponseEntity<Void> terminate(Caller staff, @PathVariable String id,
                                   @RequestBody(required = false) StaffRequests.Reason body) {
        return change(staff, id, AccountSupport.StatusChange.TERMINATE, body);
    }

    private ResponseEntity<Void> change(Caller staff, String id, AccountSupport.StatusChange change,
                                        StaffRequests.Reason body) {
        support.changeStatus(staff, id, change, StaffRequests.reason(body));
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/keys/{keyId}/revoke")
    ResponseEntity<Void> revokeKey(Caller staff, @PathVariable String keyId,
                                   @RequestBody(required = false) StaffRequests.Reason body) {
        support.revokeKey(staff, keyId, StaffRequests.reason(body));
        return ResponseEntity.noContent().build();
    }
}
