package org.tollgate.banner.action;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** {@code nft -j} output read into maps and lists, as the nftables action reads it, for the shield's listings. */
public final class NftJson {

    private static final JsonFactory JSON = new JsonFactory();

    private NftJson() {
    }

    /** The JSON document as maps, lists, strings, numbers, booleans and nulls. */
    public static Object parse(String json) throws IOException {
        try (JsonParser parser = JSON.createParser(json)) {
            parser.nextToken();
            return NftablesAction.readValue(parser);
        }
    }

    /** {@code value} as a map, or an empty one. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object value) {
        return value instanceof Map ? (Map<String, Object>) value : Map.of();
    }

    /** {@code value} as a list, or an empty one. */
    @SuppressWarnings("unchecked")
    public static List<Object> list(Object value) {
        return value instanceof List ? (List<Object>) value : List.of();
    }

    /** {@code value} as text, or an empty string. */
    public static String text(Object value) {
        return value == null ? "" : value.toString();
    }
}
