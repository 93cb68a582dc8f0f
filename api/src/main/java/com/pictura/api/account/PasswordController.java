package com.pictura.api.account;

import com.pictura.api.security.Caller;
import com.pictura.api.security.SessionAuthentication;
import com.pictura.api.web.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class PasswordController {

    private final PasswordChange passwordChange;

    public PasswordController(PasswordChange passwordChange) {
        this.passwordChange = passwordChange;
    }

    public record NewPassword(String currentPassword, String newPassword) {
    }

    @PostMapping("/api/me/password")
    ResponseEntity<Void> change(Caller caller, @RequestBody NewPassword request, HttpServletRequest http) {
        if (request == null) {
            throw ApiException.invalid("currentPassword", "a JSON body with currentPassword and newPassword is required");
        }
        String session = SessionAuthentication.token(http).orElseThrow();
        passwordChange.change(caller, session, request.currentPassword(), request.newPassword());
        return ResponseEntity.noContent().build();
    }
}
