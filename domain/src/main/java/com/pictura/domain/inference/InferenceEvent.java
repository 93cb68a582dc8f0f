package com.pictura.domain.inference;

import com.pictura.domain.wallet.Credits;
import com.pictura.domain.wallet.ReservationId;
import com.pictura.domain.wallet.Usage;
import com.pictura.domain.wallet.WalletId;
import org.axonframework.serialization.Revision;

/**
 * The outcome of one model call, recorded by the node that made it. Metadata only: which hold, which model,
 * how much was consumed and what it costs. Prompts and outputs never appear here (Terms §8).
 *
 * <p>These are not events of an aggregate: the call is not a decision of the ledger but a fact about the world
 * that the {@link InferenceSaga} turns into ledger commands.
 */
public sealed interface InferenceEvent {

    WalletId walletId();

    ReservationId reservationId();

    String model();

    /**
     * Output was delivered, completely or in part. {@code cost} is the price of {@code usage}: exactly what was
     * delivered, never what was merely requested.
     *
     * @param completion {@code complete}, {@code client_disconnected} (the client went away mid-stream) or
     *                   {@code upstream_interrupted} (the provider failed after some output was delivered)
     */
    @Revision("1")
    record InferenceSucceeded(WalletId walletId, ReservationId reservationId, String model, Usage usage,
                              Credits cost, String completion) implements InferenceEvent {

        public static final String COMPLETE = "complete";
        public static final String CLIENT_DISCONNECTED = "client_disconnected";
        public static final String UPSTREAM_INTERRUPTED = "upstream_interrupted";
    }

    /**
     * Nothing was delivered: the whole hold returns.
     *
     * @param reason a short machine-readable cause, e.g. {@code upstream_error}, {@code upstream_timeout},
     *               {@code client_disconnected}; never text from the prompt or the output
     */
    @Revision("1")
    record InferenceFailed(WalletId walletId, ReservationId reservationId, String model, String reason,
                           long latencyMillis) implements InferenceEvent {
    }
}
