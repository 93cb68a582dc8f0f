package com.pictura.billing.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The simulator's Stripe objects, as JSON, in {@code stripe_simulator_objects}. */
class SimulatorStore {

    private final JdbcClient jdbc;

    SimulatorStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void save(JsonObject object) {
        jdbc.sql("""
                insert into stripe_simulator_objects (id, object_type, created, payment_intent, charge, body)
                values (?, ?, ?, ?, ?, ?)
                on conflict (id) do update set body = excluded.body, payment_intent = excluded.payment_intent,
                                               charge = excluded.charge""")
                .params(text(object, "id"), text(object, "object"), object.get("created").getAsLong(),
                        text(object, "payment_intent"), text(object, "charge"), object.toString())
                .update();
    }

    Optional<JsonObject> find(String id, String type) {
        return jdbc.sql("select body from stripe_simulator_objects where id = ? and object_type = ?")
                .params(id, type).query(String.class).optional()
                .map(body -> JsonParser.parseString(body).getAsJsonObject());
    }

    /** Newest first, as Stripe lists. */
    List<JsonObject> list(String type, Long createdFrom, Long createdBefore, String paymentIntent, String charge) {
        StringBuilder sql = new StringBuilder("select body from stripe_simulator_objects where object_type = :type");
        var spec = new ArrayList<Object[]>();
        if (createdFrom != null) {
            sql.append(" and created >= :from");
            spec.add(new Object[]{"from", createdFrom});
        }
        if (createdBefore != null) {
            sql.append(" and created < :before");
            spec.add(new Object[]{"before", createdBefore});
        }
        if (paymentIntent != null) {
            sql.append(" and payment_intent = :pi");
            spec.add(new Object[]{"pi", paymentIntent});
        }
        if (charge != null) {
            sql.append(" and charge = :charge");
            spec.add(new Object[]{"charge", charge});
        }
        sql.append(" order by created desc, seq desc");
        var statement = jdbc.sql(sql.toString()).param("type", type);
        for (Object[] p : spec) {
            statement = statement.param((String) p[0], p[1]);
        }
        return statement.query(String.class).list().stream()
                .map(body -> JsonParser.parseString(body).getAsJsonObject()).toList();
    }

    static String text(JsonObject object, String field) {
        JsonElement value = object.get(field);
        return value == null || value.isJsonNull() ? null : value.getAsString();
    }
}
