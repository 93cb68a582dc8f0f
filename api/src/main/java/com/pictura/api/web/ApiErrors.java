package com.pictura.api.web;

import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Map;

import com.pictura.domain.Refusal;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestTimeoutException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;

/**
 * The one place where refusals become HTTP statuses. Client mistakes get a clear message and a 4xx; anything
 * else is logged with its stack trace and answered with a 500 that reveals nothing.
 *
 * <p>Every answer names its content type itself, so an {@code Accept} header that excludes JSON cannot turn a
 * 4xx into a second failure; and every exception Spring MVC raises for a client mistake (an {@link ErrorResponse}
 * with a 4xx status) keeps its status and headers ({@code Allow}, {@code Accept}) in this shape.
 */
@RestControllerAdvice
public class ApiErrors {

    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    private static final Map<String, HttpStatus> REFUSALS = Map.ofEntries(
            Map.entry("invalid_request", HttpStatus.BAD_REQUEST),
            Map.entry("insufficient_credits", HttpStatus.PAYMENT_REQUIRED),
            Map.entry("wallet_closed", HttpStatus.FORBIDDEN),
            Map.entry("account_terminated", HttpStatus.FORBIDDEN),
            Map.entry("unknown_reservation", HttpStatus.NOT_FOUND),
            Map.entry("unknown_payment", HttpStatus.NOT_FOUND));

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ApiError> api(ApiException e) {
        var response = ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_JSON);
        if (e.retryAfterSeconds() != null) {
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()));
        }
        return response.body(e.body());
    }

    @ExceptionHandler(Refusal.class)
    ResponseEntity<ApiError> refusal(Refusal e) {
        HttpStatus status = REFUSALS.getOrDefault(e.code(), HttpStatus.CONFLICT);
        String type = status == HttpStatus.PAYMENT_REQUIRED ? "insufficient_quota" : "invalid_request_error";
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(ApiError.of(e.getMessage(), type, null, e.code()));
    }

    @ExceptionHandler(AggregateNotFoundException.class)
    ResponseEntity<ApiError> notFound(AggregateNotFoundException e) {
        return error(HttpStatus.NOT_FOUND, "not_found", "Not found.");
    }

    @ExceptionHandler(ConcurrencyException.class)
    ResponseEntity<ApiError> busy(ConcurrencyException e) {
        return error(HttpStatus.CONFLICT, "concurrent_update", "The resource was changed concurrently; retry.");
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ApiError> unreadable(HttpMessageNotReadableException e) {
        if (BodyLimit.isCause(e)) {
            return error(HttpStatus.CONTENT_TOO_LARGE, "request_too_large", "The request body is too large.");
        }
        String field = field(e);
        if (field != null) {
            // Strict types (spring.jackson.mapper.allow-coercion-of-scalars=false): 1 or "true" is not true.
            return ResponseEntity.status(HttpStatus.BAD_REQUEST).contentType(MediaType.APPLICATION_JSON)
                    .body(ApiError.of("'" + field + "' has the wrong type.", "invalid_request_error", field,
                            "invalid_request"));
        }
        return error(HttpStatus.BAD_REQUEST, "invalid_json", "The request body is not valid JSON of the expected shape.");
    }

    /** The top-level field Jackson could not bind, if it was a field and not the JSON itself. */
    private static String field(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JacksonException jackson && jackson.getPath() != null && !jackson.getPath().isEmpty()) {
                String name = jackson.getPath().get(0).getPropertyName();
                return name == null || Text.problem(name, true) != null || name.length() > 100 ? null : name;
            }
        }
        return null;
    }

    @ExceptionHandler({MethodArgumentTypeMismatchException.class, MissingServletRequestParameterException.class,
            MissingRequestHeaderException.class})
    ResponseEntity<ApiError> badParameter(Exception e) {
        String param = e instanceof MethodArgumentTypeMismatchException m ? m.getName()
                : e instanceof MissingServletRequestParameterException p ? p.getParameterName()
                : ((MissingRequestHeaderException) e).getHeaderName();
        // The parameter's name only: its value is the client's and may be anything.
        return ResponseEntity.status(HttpStatus.BAD_REQUEST).contentType(MediaType.APPLICATION_JSON)
                .body(ApiError.of("Missing or invalid parameter '" + param + "'.", "invalid_request_error", param,
                        "invalid_request"));
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ApiError> mediaType(HttpMediaTypeNotSupportedException e) {
        return withHeaders(e, "unsupported_media_type", "Send JSON (Content-Type: application/json).");
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ApiError> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return withHeaders(e, "not_acceptable", "This endpoint answers JSON; accept application/json.");
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ApiError> method(HttpRequestMethodNotSupportedException e) {
        return withHeaders(e, "method_not_allowed", "Method " + e.getMethod() + " is not allowed here.");
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ApiError> noResource(NoResourceFoundException e) {
        return error(HttpStatus.NOT_FOUND, "not_found", "No such endpoint.");
    }

    /**
     * Parameters the servlet container could not decode (a query or form with {@code %ZZ} or bytes that are not
     * UTF-8): Tomcat refuses them when they are first read, wherever that is.
     */
    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<ApiError> undecodable(InvalidParameterException e) {
        return error(HttpStatus.BAD_REQUEST, "invalid_request", "The query or form parameters are not valid UTF-8 "
                + "percent-encoding.");
    }

    /** A body announced as multipart that is not (no endpoint here takes multipart at all). */
    @ExceptionHandler(MultipartException.class)
    ResponseEntity<ApiError> multipart(MultipartException e) {
        if (e instanceof MaxUploadSizeExceededException) {
            return error(HttpStatus.CONTENT_TOO_LARGE, "request_too_large", "The request body is too large.");
        }
        return error(HttpStatus.BAD_REQUEST, "invalid_request", "The request body is not readable multipart.");
    }

    /** A charset nobody knows ({@code Content-Type: application/json; charset=ebcdic}). */
    @ExceptionHandler({UnsupportedCharsetException.class, IllegalCharsetNameException.class})
    ResponseEntity<ApiError> charset(IllegalArgumentException e) {
        return error(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", "Send JSON in UTF-8.");
    }

    /** A request that outlived the container's async timeout: not a fault to trace, but ours to answer. */
    @ExceptionHandler(AsyncRequestTimeoutException.class)
    ResponseEntity<ApiError> timeout(AsyncRequestTimeoutException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.RETRY_AFTER, "1")
                .body(ApiError.of("The request took too long; please retry.", "server_error", null, "timeout"));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ApiError> unexpected(Exception e) {
        if (e instanceof ErrorResponse response && response.getStatusCode().is4xxClientError()) {
            return withHeaders(response, code(response.getStatusCode()), "The request is not valid here ("
                    + response.getStatusCode().value() + ").");
        }
        if (DatabaseOutage.causedBy(e)) {
            // the class only: a failed statement's message carries its bound values
            log.warn("Database unreachable: answered 503 ({})", e.getClass().getSimpleName());
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).contentType(MediaType.APPLICATION_JSON)
                    .header(HttpHeaders.RETRY_AFTER, "5")
                    .body(ApiError.of("The service is briefly unavailable; please retry.", "server_error", null,
                            "service_unavailable"));
        }
        log.error("Unexpected failure", e);
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).contentType(MediaType.APPLICATION_JSON)
                .body(ApiError.of("Something went wrong on our side. Please retry later.", "server_error",
                        null, "internal_error"));
    }

    private static ResponseEntity<ApiError> withHeaders(ErrorResponse e, String code, String message) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(e.getStatusCode());
        e.getHeaders().forEach((name, values) -> response.header(name, values.toArray(String[]::new)));
        return response.contentType(MediaType.APPLICATION_JSON)
                .body(ApiError.of(message, "invalid_request_error", null, code));
    }

    static String code(HttpStatusCode status) {
        HttpStatus known = HttpStatus.resolve(status.value());
        return known == null ? "invalid_request" : known.name().toLowerCase();
    }

    private static ResponseEntity<ApiError> error(HttpStatus status, String code, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(ApiError.of(message, "invalid_request_error", null, code));
    }
}
