package com.pictura.api.staff;

import com.pictura.api.web.ApiException;
import com.pictura.domain.wallet.Credits;

/** The bodies of staff actions, and the checks every one of them shares. */
final class StaffRequests {

    private StaffRequests() {
    }

    record Reason(String reason) {
    }

    /** @param adjustmentId optional: the same id sent again is recognised, so a retried request adjusts once */
    record Adjustment(String amount, String reason, String ticket, String adjustmentId) {
    }

    record Refund(String reservationId, String amount, String reason, String refundId) {
    }

    static String reason(Reason body) {
        return reason(body, body == null ? null : body.reason());
    }

    static String reason(Object body, String reason) {
        if (body == null) {
            throw ApiException.invalid("reason", "a JSON body with a reason is required");
        }
        if (reason == null || reason.isBlank()) {
            throw ApiException.invalid("reason", "a reason is required for every staff action");
        }
        if (reason.length() > 500) {
            throw ApiException.invalid("reason", "reason is too long (500 characters at most)");
        }
        return reason.strip();
    }

    static Credits credits(String param, String text) {
        try {
            return Credits.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(param, param + ": " + e.getMessage());
        }
    }
}
