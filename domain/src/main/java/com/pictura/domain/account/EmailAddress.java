package com.pictura.domain.account;

import java.util.Locale;
import java.util.regex.Pattern;

import com.pictura.domain.InvalidCommand;

/** An email address in its normal form: trimmed and lower-cased, so one mailbox is one account. */
public final class EmailAddress {

    // The shape of a mailbox people can type, letters of any script allowed (RFC 6531), dot-separated atoms in the
    // local part and letter-or-digit labels in the domain. What it leaves out on purpose: quoted local parts, IP
    // literals, and every character that is invisible or markup (controls, lone surrogates, bidi overrides, byte
    // order marks, <, >, quotes): an address nobody can read as it is stored is not accepted. Real validation is
    // the confirmation mail.
    private static final String ATOM = "[\\p{L}\\p{M}\\p{N}!#$%&*+/=?^_`{|}~-]+";
    private static final String LABEL = "[\\p{L}\\p{M}\\p{N}](?:[\\p{L}\\p{M}\\p{N}-]{0,61}[\\p{L}\\p{M}\\p{N}])?";
    private static final Pattern SHAPE = Pattern.compile(
            "^(?=[^@]{1,64}@)" + ATOM + "(?:\\." + ATOM + ")*@(?:" + LABEL + "\\.)+(?:\\p{L}[\\p{L}\\p{M}]{1,62}|xn--[a-z0-9-]{1,59})$");

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
