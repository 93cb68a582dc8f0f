package com.pictura.api.ledgerchain;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One link of an aggregate's chain: SHA-256 over the previous link and the event as stored (aggregate, sequence,
 * event id, payload type and revision, the payload's and the metadata's bytes), each part prefixed with its length
 * so that no two different events can give the same input. The first event of an aggregate links to
 * {@link #GENESIS}.
 */
public final class ChainLink {

    public static final String GENESIS = "0".repeat(64);

    private ChainLink() {
    }

    public static String next(String previous, String aggregateId, long sequence, String eventId, String payloadType,
                              String payloadRevision, byte[] payload, byte[] metadata) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (String text : new String[] {previous, aggregateId, Long.toString(sequence), eventId, payloadType,
                payloadRevision == null ? "" : payloadRevision}) {
            part(sha, text.getBytes(StandardCharsets.UTF_8));
        }
        part(sha, payload);
        part(sha, metadata);
        return HexFormat.of().formatHex(sha.digest());
    }

    /** A digest over heads given as "aggregate:sequence:link" lines in a fixed order: what an auditor keeps. */
    public static String digest(Iterable<String> heads) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String head : heads) {
                part(sha, head.getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void part(MessageDigest sha, byte[] bytes) {
        sha.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        sha.update(bytes);
    }
}
