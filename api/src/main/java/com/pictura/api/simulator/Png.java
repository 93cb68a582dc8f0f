package com.pictura.api.simulator;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** Writes real PNG files (8-bit RGB or RGBA), fast, and JPEGs from them: the simulator's images. */
final class Png {

    private Png() {
    }

    /** A deterministic picture of {@code width} × {@code height}: gradients tinted by {@code seed}. */
    static byte[] render(int width, int height, long seed) {
        return render(width, height, seed, false);
    }

    /** With {@code alpha}: RGBA, transparent on the left fading to opaque on the right. */
    static byte[] render(int width, int height, long seed, boolean alpha) {
        int channels = alpha ? 4 : 3;
        int r0 = (int) (seed & 0xFF);
        int g0 = (int) ((seed >>> 8) & 0xFF);
        int b0 = (int) ((seed >>> 16) & 0xFF);
        byte[] raw = new byte[height * (1 + width * channels)];
        int i = 0;
        for (int y = 0; y < height; y++) {
            raw[i++] = 0; // filter: none
            int gy = y * 255 / Math.max(1, height - 1);
            for (int x = 0; x < width; x++) {
                int gx = x * 255 / Math.max(1, width - 1);
                raw[i++] = (byte) (r0 + gx);
                raw[i++] = (byte) (g0 + gy);
                raw[i++] = (byte) (b0 + ((x ^ y) & 0x3F));
                if (alpha) {
                    raw[i++] = (byte) gx;
                }
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream(raw.length / 8 + 1024);
        png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteBuffer header = ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) (alpha ? 6 : 2)).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(png, "IHDR", header.array());
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        deflater.setInput(raw);
        deflater.finish();
        ByteArrayOutputStream compressed = new ByteArrayOutputStream(raw.length / 8 + 1024);
        byte[] buffer = new byte[64 * 1024];
        while (!deflater.finished()) {
            int n = deflater.deflate(buffer);
            compressed.write(buffer, 0, n);
        }
        deflater.end();
        chunk(png, "IDAT", compressed.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    /** The PNG re-encoded as a JPEG (no alpha), with the JDK's encoder. */
    static byte[] jpeg(byte[] png) {
        try {
            java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            javax.imageio.ImageIO.write(image, "jpeg", out);
            return out.toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
