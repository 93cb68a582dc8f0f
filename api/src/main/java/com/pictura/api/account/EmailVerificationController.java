package com.pictura.api.account;

import com.pictura.api.security.Caller;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Opening a verification link (public: the mail may be read on another device), and asking for a fresh one. */
@RestController
@RequestMapping("/api")
public class EmailVerificationController {

    private final EmailVerifications verifications;

    public EmailVerificationController(EmailVerifications verifications) {
        this.verifications = verifications;
    }

    public record Verification(String token) {
    }

    @PostMapping("/email-verifications")
    ResponseEntity<Void> verify(@RequestBody Verification request) {
        verifications.verify(request == null ? null : request.token());
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/me/verification-mail")
    ResponseEntity<EmailVerifications.Sent> resend(Caller caller) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(verifications.resend(caller.accountId()));
    }
}
