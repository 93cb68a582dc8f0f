package com.pictura.api.mail;

import java.util.List;

import com.pictura.api.security.Caller;
import com.pictura.api.web.ApiException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The built-in mailbox of the embedded default, where a person without a mail server reads the mail Pictura
 * sent them (their verification link). Only the caller's own mail; absent when mail leaves by SMTP.
 */
@RestController
public class OutboxController {

    private final Outbox outbox;

    public OutboxController(Outbox outbox) {
        this.outbox = outbox;
    }

    @GetMapping("/api/outbox")
    List<Outbox.Mail> mailbox(Caller caller) {
        if (outbox.viaSmtp()) {
            throw ApiException.notFound("Mail is sent by SMTP here: read it in your own mailbox.");
        }
        return outbox.mailbox(caller.accountId());
    }
}
