package com.pictura.domain.account;

import java.util.Locale;
import java.util.regex.Pattern;

import com.pictura.domain.InvalidCommand;

/** An email address in its normal form: trimmed and lower-cased, so one mailbox is one account. */
public final class EmailAddress {

    // Deliberately plain: one @, a dot in the domain, no spaces. Real validation is the confirmation mail.
    private static final Pattern SHAPE = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+$");

    private EmailAddress() {
    }

    /** @throws InvalidCommand when {@code raw} is not shaped like an email address */
    public static String normalize(String raw) {
        InvalidCommand.require(raw != null, "email is required");
        String email = raw.strip().toLowerCase(Locale.ROOT);
        InvalidCommand.require(email.length() <= 254 && SHAPE.matcher(email).matches(),
                "email must be a valid email address");
        return email;
    }
}
