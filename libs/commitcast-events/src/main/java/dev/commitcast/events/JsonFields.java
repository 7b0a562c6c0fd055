package dev.commitcast.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.math.BigDecimal;

/**
 * Lenient JSON field access shared by the decoders: numbers may arrive as JSON numbers or numeric strings. Internal to
 * Commitcast; not an API.
 */
public final class JsonFields {

    /** Floats become {@code BigDecimal}, so an id sent as {@code 7.0} still reads as 7 and nothing is rounded. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private JsonFields() {
    }

    /** Parses a whole record value; {@link ChangeDecodeException} when it is not JSON. */
    public static JsonNode parse(byte[] value, String what) {
        try {
            JsonNode node = MAPPER.readTree(value);
            if (node == null || node.isMissingNode()) {
                throw new ChangeDecodeException(null, what + " is empty", null);
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new ChangeDecodeException(null, what + " is not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ChangeDecodeException(null, what + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Returns the field as a string, {@code null} when absent or JSON null. */
    public static String text(JsonNode parent, String field) {
        JsonNode node = parent == null ? null : parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }

    /**
     * Returns the field as a long, {@code null} when absent or JSON null.
     *
     * @throws NumberFormatException naming the field, when it is neither an integral number nor a numeric string
     */
    public static Long optionalLong(JsonNode parent, String field) {
        JsonNode node = parent == null ? null : parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            if (node.isIntegralNumber() && node.canConvertToLong()) {
                return node.longValue();
            }
            if (node.isNumber()) {
                return node.decimalValue().longValueExact();
            }
            if (node.isTextual()) {
                return new BigDecimal(node.textValue().strip()).longValueExact();
            }
        } catch (ArithmeticException | NumberFormatException e) {
            // fall through to the message below, which names the field and the value
        }
        throw new NumberFormatException("field '" + field + "' is " + node + ", expected an integer");
    }
}
