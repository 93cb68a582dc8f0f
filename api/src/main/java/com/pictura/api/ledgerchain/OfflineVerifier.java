package com.pictura.api.ledgerchain;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.pictura.api.axon.AxonInfrastructure;
import com.pictura.domain.wallet.Movement;
import com.pictura.domain.wallet.WalletEvent;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code java -jar pictura.jar verify export.jsonl}: checks an export of the ledger (GET /audit/export) with no
 * server and no database. Every event's link is recomputed from its stored bytes and the previous link of its
 * aggregate; every wallet's balance is folded from its events. Prints what it found; exits 0 when every link
 * holds, 1 when one does not, 2 when the file cannot be read.
 */
public final class OfflineVerifier {

    private static final JsonMapper LINES = JsonMapper.builder().build();
    private static final ObjectMapper EVENTS = AxonInfrastructure.eventMapper();

    private OfflineVerifier() {
    }

    public static int run(Path export, PrintStream out) {
        Map<String, String> heads = new HashMap<>();
        Map<String, Movement> balances = new TreeMap<>();
        long events = 0;
        long broken = 0;
        try (BufferedReader lines = Files.newBufferedReader(export, StandardCharsets.UTF_8)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode e = LINES.readTree(line);
                events++;
                String aggregate = e.get("aggregate").asString();
                byte[] payload = Base64.getDecoder().decode(e.get("payload").asString());
                String computed = ChainLink.next(heads.getOrDefault(aggregate, ChainLink.GENESIS), aggregate,
                        e.get("sequence").asLong(), e.get("eventId").asString(), e.get("payloadType").asString(),
                        e.path("payloadRevision").isNull() ? null : e.path("payloadRevision").asString(null), payload,
                        Base64.getDecoder().decode(e.get("metadata").asString()));
                String kept = e.path("link").isString() ? e.get("link").asString() : null;
                if (!computed.equals(kept)) {
                    broken++;
                    out.println("BROKEN " + aggregate + " #" + e.get("sequence").asLong() + " "
                            + e.get("eventId").asString() + " (" + e.get("payloadType").asString() + "): "
                            + (kept == null ? "no link" : "the event does not match its link"));
                }
                heads.put(aggregate, kept != null ? kept : computed);
                if ("CreditWallet".equals(e.path("aggregateType").asString(""))) {
                    try {
                        fold(balances, aggregate, e.get("payloadType").asString(), payload);
                    } catch (IOException unreadable) {
                        broken++;
                        out.println("BROKEN " + aggregate + " #" + e.get("sequence").asLong()
                                + ": the payload cannot be read (" + unreadable.getMessage() + ")");
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            out.println("UNREADABLE " + export + ": " + e.getMessage());
            return 2;
        }
        balances.forEach((wallet, m) -> out.println("BALANCE " + wallet + " available=" + m.available()
                + " promotional=" + m.promotional() + " paid=" + m.paid() + " reserved=" + m.reserved()));
        out.println((broken == 0 ? "INTACT" : "TAMPERED") + " events=" + events + " aggregates=" + heads.size()
                + " wallets=" + balances.size() + " broken=" + broken);
        return broken == 0 ? 0 : 1;
    }

    private static void fold(Map<String, Movement> balances, String wallet, String type, byte[] payload)
            throws IOException {
        Class<?> eventClass;
        try {
            eventClass = Class.forName(type);
        } catch (ClassNotFoundException e) {
            throw new IOException("unknown event type " + type);
        }
        Object event = EVENTS.readValue(payload, eventClass);
        if (event instanceof WalletEvent walletEvent) {
            Movement m = walletEvent.movement();
            balances.merge(wallet, m, (a, b) -> new Movement(a.promotional().plus(b.promotional()),
                    a.paid().plus(b.paid()), a.reserved().plus(b.reserved())));
        }
    }
}
