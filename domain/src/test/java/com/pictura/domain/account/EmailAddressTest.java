package com.pictura.domain.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.pictura.domain.InvalidCommand;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmailAddressTest {

    @ParameterizedTest(name = "{0} is an address")
    @ValueSource(strings = {"ada@example.com", "bob.smith+tag@mail.example.org", "josé@correo.example.es", "用户@例子.广告", "a_b-c@sub-domain.example.co.uk",
            "x@xn--bcher-kva.example"})
    void readableAddressesAreAccepted(String email) {
        assertThat(EmailAddress.normalize(email)).isEqualTo(email.toLowerCase(java.util.Locale.ROOT));
    }

    @ParameterizedTest(name = "{0} is refused")
    @ValueSource(strings = {"zebra\u0000q@example.com", "zebra\uD800q@example.com", "zebra\u202Eq@example.com",
            "\uFEFFzebra@example.com", "zebra\u200Bq@example.com", "<script>@example.com", "a@exa<script>mple.com",
            "\"quoted\"@example.com", "a..b@example.com", ".a@example.com", "a@-example.com", "a@example.c",
            "a@[127.0.0.1]", "a@example.com\u0000", "a\u0007@example.com", "a@example..com"})
    void anythingInvisibleOrMarkupIsRefused(String email) {
        assertThatThrownBy(() -> EmailAddress.normalize(email)).isInstanceOf(InvalidCommand.class);
    }
}
