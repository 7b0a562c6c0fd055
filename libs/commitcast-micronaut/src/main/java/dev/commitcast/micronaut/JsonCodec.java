package dev.commitcast.micronaut;

import dev.commitcast.client.ValueCodec;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The {@link ValueCodec} of {@code @Cacheable} values: JSON through the application's {@link JsonMapper} (micronaut
 * serde or Jackson), for the method's return type. Bytes that do not read as that type are rejected, so the client
 * deletes and reloads them. Thread-safe.
 *
 * @param <T> the value type
 */
final class JsonCodec<T> implements ValueCodec<T> {

    private final JsonMapper json;
    private final Argument<T> type;

    JsonCodec(JsonMapper json, Argument<T> type) {
        this.json = json;
        this.type = type;
    }

    Argument<T> type() {
        return type;
    }

    @Override
    public byte[] encode(T value) {
        try {
            return json.writeValueAsBytes(type, value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a " + type.getTypeString(true) + " as JSON", e);
        }
    }

    @Override
    public T decode(byte[] bytes) {
        try {
            return json.readValue(bytes, type);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a " + type.getTypeString(true) + " in JSON: " + e.getMessage(), e);
        }
    }

    @Override
    public int weigh(T value) {
        return 64 + encode(value).length * 2;
    }
}
