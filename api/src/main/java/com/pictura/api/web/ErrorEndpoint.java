package com.pictura.api.web;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the servlet container renders when an error escaped everything else (a filter, a refused request line),
 * in the API's error shape instead of Spring Boot's. Asked for directly, {@code /error} is just no endpoint: 404.
 */
@Hidden
@RestController
public class ErrorEndpoint implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<ApiError> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer value && value >= 400 ? HttpStatus.resolve(value) : null;
        if (status == null) {
            status = HttpStatus.NOT_FOUND;
        }
        // An exception that escaped MVC from a filter: a client mistake all the same when it says so.
        Object error = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        if (status.is5xxServerError() && (error instanceof HttpMessageNotReadableException
                || error instanceof InvalidParameterException)) {
            status = HttpStatus.BAD_REQUEST;
        }
        ApiError body = status.is5xxServerError()
                ? ApiError.of("Something went wrong on our side. Please retry later.", "server_error", null,
                        "internal_error")
                : ApiError.of(status == HttpStatus.NOT_FOUND ? "No such endpoint." : "The request is not valid here ("
                        + status.value() + ").", "invalid_request_error", null, ApiErrors.code(status));
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body);
    }
}
