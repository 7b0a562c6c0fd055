package dev.commitcast.api.http;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

import java.nio.charset.StandardCharsets;

/**
 * {@code GET /v1/ping}: a constant body answered on the event loop, the ceiling of what the HTTP stack can serve;
 * benchmarks compare L1 hits against it.
 */
@Controller("/v1/ping")
final class PingController {

    private static final byte[] PONG = "{\"pong\":true}".getBytes(StandardCharsets.US_ASCII);

    @Get
    HttpResponse<byte[]> ping() {
        return HttpResponse.ok(PONG).contentType(MediaType.APPLICATION_JSON_TYPE);
    }
}
