package com.pictura.api.gateway;

import java.util.Base64;
import java.util.Set;
import java.util.regex.Pattern;

import com.pictura.api.catalog.ModelEntry;
import com.pictura.api.web.ApiException;
import tools.jackson.databind.JsonNode;

/**
 * Image content parts of chat messages ({@code {"type":"image_url","image_url":{"url","detail"}}}): only in
 * {@code user} messages, only for a model whose catalog entry says {@code vision}, at most {@link #MAX_IMAGES} a
 * request, each an {@code http(s)} URL or a base64 {@code data:} URL of a PNG, JPEG, GIF or WebP image. How they
 * are counted is {@code Tokens.IMAGE_TILE_TOKENS}' rule.
 */
final class ImageParts {

    static final int MAX_IMAGES = 16;
    private static final Set<String> DETAILS = Set.of("auto", "low", "high");
    private static final Pattern DATA_URL = Pattern.compile("data:image/(png|jpeg|jpg|gif|webp);base64,([A-Za-z0-9+/=\\s]+)");

    private ImageParts() {
    }

    /**
     * Checks one non-text part.
     *
     * @return 1 when it is a valid image part, so the caller can count them
     * @throws ApiException 400 naming the part: not an image part, an image the model cannot see, a bad URL
     */
    static int check(JsonNode part, String role, ModelEntry model, String param) {
        if (!"image_url".equals(part.path("type").asString(""))) {
            throw ApiException.invalid(param, "A content part must be {\"type\":\"text\"} or {\"type\":\"image_url\"}.");
        }
        if (!model.chat().vision()) {
            throw ApiException.invalid(param, "The model '" + model.id() + "' does not accept images; use a vision "
                    + "model (GET /v1/models: \"vision\": true), or send text only.");
        }
        if (!"user".equals(role)) {
            throw ApiException.invalid(param, "Image parts are allowed in user messages only.");
        }
        JsonNode image = part.get("image_url");
        JsonNode url = image == null ? null : image.isString() ? image : image.get("url");
        if (url == null || !url.isString()) {
            throw ApiException.invalid(param + ".image_url.url", "'image_url.url' is required.");
        }
        String value = url.asString();
        if (value.startsWith("data:")) {
            var data = DATA_URL.matcher(value);
            if (!data.matches() || !decodes(data.group(2))) {
                throw ApiException.invalid(param + ".image_url.url", "A data URL must be data:image/(png|jpeg|gif|"
                        + "webp);base64,<base64>.");
            }
        } else if (!value.matches("https?://[^\\s]{1,2040}")) {
            throw ApiException.invalid(param + ".image_url.url", "'image_url.url' must be an http(s) or data: URL.");
        }
        JsonNode detail = image.isObject() ? image.get("detail") : null;
        if (detail != null && !detail.isNull() && (!detail.isString() || !DETAILS.contains(detail.asString()))) {
            throw ApiException.invalid(param + ".image_url.detail", "'detail' must be auto, low or high.");
        }
        return 1;
    }

    private static boolean decodes(String base64) {
        try {
            return Base64.getMimeDecoder().decode(base64).length > 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
