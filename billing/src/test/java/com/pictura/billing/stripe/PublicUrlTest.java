package com.pictura.billing.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import com.pictura.billing.BillingProperties;
import org.junit.jupiter.api.Test;

class PublicUrlTest {

    private static PublicUrl of(String url) {
        return new PublicUrl(new BillingProperties("usd", List.of(), url, null, null), new LocalServer());
    }

    @Test
    void onlyLinksIntoPicturaAreCovered() {
        PublicUrl publicUrl = of("https://pictura.example/app/");

        assertThat(publicUrl.base()).isEqualTo("https://pictura.example/app");
        assertThat(publicUrl.covers("https://pictura.example/app/billing/checkout/complete?session_id={CHECKOUT_SESSION_ID}"))
                .isTrue();
        assertThat(publicUrl.covers("https://PICTURA.example:443/app/x")).isTrue();
        for (String outside : new String[]{"https://evil.example/app/x", "https://pictura.example.evil.example/app/x",
                "https://pictura.example@evil.example/app/x", "http://pictura.example/app/x",
                "https://pictura.example:8443/app/x", "https://pictura.example/application", "https://pictura.example/",
                "https://pictura.example/app/../admin", "//evil.example/app", "javascript:alert(1)", "not a url", null}) {
            assertThat(publicUrl.covers(outside)).as(outside).isFalse();
        }
    }

    @Test
    void aPublicUrlMustBeAPlainHttpUrl() {
        for (String bad : new String[]{"ftp://pictura.example", "https://user@pictura.example", "https://pictura.example/?a=1",
                "pictura.example"}) {
            assertThatThrownBy(() -> of(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
