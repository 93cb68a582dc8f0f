package com.pictura.api.ledgerchain;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * The event history as stored, streamed row by row ({@link StoreCursor}: nothing is buffered whole),
 * as JSON lines or CSV: every field the chain covers, the payload and metadata as base64 of the stored bytes, and
 * each event's link. What the offline verifier reads.
 */
@Service
public class LedgerExport {

    public enum Format { JSONL, CSV }

    static final String CSV_HEADER = "globalIndex,aggregate,aggregateType,sequence,eventId,timestamp,payloadType,"
            + "payloadRevision,payload,metadata,link";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final StoreCursor cursor;

    LedgerExport(StoreCursor cursor) {
        this.cursor = cursor;
    }

    /** Every event of {@code aggregates} (every event when null), in the order they were stored. */
    public void write(List<String> aggregates, Format format, OutputStream out) {
        String where = aggregates == null ? "" : "where e.aggregate_identifier in (:ids)";
        if (format == Format.CSV) {
            line(out, CSV_HEADER);
        }
        cursor.query("""
                            select e.global_index, e.aggregate_identifier, e.type, e.sequence_number,
                                   e.event_identifier, e.time_stamp, e.payload_type, e.payload_revision, e.payload,
                                   e.meta_data, c.link
                              from domain_event_entry e
                              left join event_chain c on c.aggregate_identifier = e.aggregate_identifier
                                                     and c.sequence_number = e.sequence_number
                            """ + where + " order by e.global_index",
                    aggregates == null ? Map.of() : Map.of("ids", aggregates), row -> {
                        Object[] fields = {row.getLong(1), row.getString(2), row.getString(3), row.getLong(4),
                                row.getString(5), row.getString(6), row.getString(7), row.getString(8),
                                Base64.getEncoder().encodeToString(row.getBytes(9)),
                                Base64.getEncoder().encodeToString(row.getBytes(10)), row.getString(11)};
                        line(out, format == Format.CSV ? csv(fields) : json(fields));
                    });
    }

    private static String json(Object[] f) {
        var node = JSON.createObjectNode().put("globalIndex", (Long) f[0]).put("aggregate", (String) f[1])
                .put("aggregateType", (String) f[2]).put("sequence", (Long) f[3]).put("eventId", (String) f[4])
                .put("timestamp", (String) f[5]).put("payloadType", (String) f[6])
                .put("payloadRevision", (String) f[7]).put("payload", (String) f[8]).put("metadata", (String) f[9])
                .put("link", (String) f[10]);
        return JSON.writeValueAsString(node);
    }

    private static String csv(Object[] fields) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < fields.length; i++) {
            String text = fields[i] == null ? "" : fields[i].toString();
            line.append(i == 0 ? "" : ",").append(text.matches("[A-Za-z0-9_.:+/=-]*") ? text
                    : '"' + text.replace("\"", "\"\"") + '"');
        }
        return line.toString();
    }

    private static void line(OutputStream out, String text) {
        try {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
