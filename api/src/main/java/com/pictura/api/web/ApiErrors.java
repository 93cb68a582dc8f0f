package com.pictura.api.web;

import java.util.Map;

import com.pictura.domain.Refusal;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * The one place where refusals become HTTP statuses. Client mistakes get a clear message and a 4xx; anything
 * else is logged with its stack trace and answered with a 500 that reveals nothing.
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
        var response = ResponseEntity.status(e.status());
        if (e.retryAfterSeconds() != null) {
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()));
        }
        return response.body(e.body());
    }

    @ExceptionHandler(Refusal.class)
    ResponseEntity<ApiError> refusal(Refusal e) {
        HttpStatus status = REFUSALS.getOrDefault(e.code(), HttpStatus.CONFLICT);
        String type = status == HttpStatus.PAYMENT_REQUIRED ? "insufficient_quota" : "invalid_request_error";
        return ResponseEntity.status(status).body(ApiError.of(e.getMessage(), type, null, e.code()));
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
        return error(HttpStatus.BAD_REQUEST, "invalid_json", "The request body is not valid JSON of the expected shape.");
    }

    @ExceptionHandler({MethodArgumentTypeMismatchException.class, MissingServletRequestParameterException.class,
            MissingRequestHeaderException.class})
    ResponseEntity<ApiError> badParameter(Exception e) {
        return error(HttpStatus.BAD_REQUEST, "invalid_request", e.getMessage());
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ApiError> mediaType(HttpMediaTypeNotSupportedException e) {
        return error(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", "Send JSON (Content-Type: application/json).");
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ApiError> method(HttpRequestMethodNotSupportedException e) {
        return error(HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed", e.getMessage());
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ApiError> noResource(NoResourceFoundException e) {
        return error(HttpStatus.NOT_FOUND, "not_found", "No such endpoint.");
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ApiError> unexpected(Exception e) {
        log.error("Unexpected failure", e);
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
                .body(ApiError.of("Something went wrong on our side. Please retry later.", "server_error",
                        null, "internal_error"));
    }

    private static ResponseEntity<ApiError> error(HttpStatus status, String code, String message) {
        return ResponseEntity.status(status).body(ApiError.of(message, "invalid_request_error", null, code));
    }
}
