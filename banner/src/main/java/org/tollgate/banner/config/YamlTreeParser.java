package org.tollgate.banner.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads one YAML document into a {@link ConfigNode} tree with the streaming parser, which is the only way to keep
 * each value's line for error messages. Scalars keep their text; the section readers decide what they mean.
 *
 * <p>Refused: duplicate keys (YAML says they are an error; a silent last-one-wins hides typos), aliases (a
 * config this small does not need them, and they would hide where a value came from), more than one document, and a
 * root that is not a mapping.
 */
public final class YamlTreeParser {

    private static final YAMLFactory FACTORY = YAMLFactory.builder().build();

    private final YAMLParser parser;
    private final String file;

    private YamlTreeParser(YAMLParser parser, String file) {
        this.parser = parser;
        this.file = file;
    }

    /**
     * The document's root mapping; an empty document is an empty mapping.
     *
     * @param file the file name used in messages, such as {@code tollgate.yaml}
     * @throws ConfigException for invalid YAML or a refused construct, with its line
     * @throws IOException when {@code in} cannot be read
     */
    public static ConfigMap parse(Reader in, String file) throws IOException {
        try (YAMLParser parser = FACTORY.createParser(in)) {
            return new YamlTreeParser(parser, file).document();
        } catch (StreamReadException e) {
            if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
                String context = marked.getContext() == null ? "" : marked.getContext() + ": ";
                throw new ConfigException("", "invalid YAML: " + context + marked.getProblem(), file,
                        marked.getProblemMark().getLine() + 1);
            }
            JsonLocation where = e.getLocation();
            throw new ConfigException("", "invalid YAML: " + firstLine(e.getOriginalMessage()), file,
                    where == null ? 0 : where.getLineNr());
        }
    }

    private ConfigMap document() throws IOException {
        JsonToken token = parser.nextToken();
        if (token == null) {
            return new ConfigMap("", file, 1, Map.of());
        }
        if (token != JsonToken.START_OBJECT) {
            throw new ConfigException("", "expected a mapping of sections (sources, state, jails, ...) at the top, was "
                    + (token == JsonToken.START_ARRAY ? "a list" : "a single value"), file, tokenLine());
        }
        ConfigMap root = map("", 1);
        if (parser.nextToken() != null) {
            throw new ConfigException("", "expected one YAML document, found another", file, tokenLine());
        }
        return root;
    }

    /** Reads a mapping whose START_OBJECT is the current token. */
    private ConfigMap map(String path, int line) throws IOException {
        Map<String, ConfigNode> entries = new LinkedHashMap<>();
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            int keyLine = tokenLine();
            String childPath = ConfigNode.childPath(path, key);
            if (entries.containsKey(key)) {
                throw new ConfigException(childPath, "duplicate key; the first one is on line "
                        + entries.get(key).line(), file, keyLine);
            }
            parser.nextToken();
            entries.put(key, value(childPath, keyLine));
        }
        if (token != JsonToken.END_OBJECT) {
            throw new ConfigException(path, "unexpected " + token + " in a mapping", file, tokenLine());
        }
        return new ConfigMap(path, file, line, entries);
    }

    /** Reads a list whose START_ARRAY is the current token. */
    private ConfigList list(String path, int line) throws IOException {
        List<ConfigNode> items = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token == null) {
                throw new ConfigException(path, "unexpected end of the document in a list", file, tokenLine());
            }
            items.add(value(path + "[" + items.size() + "]", tokenLine()));
        }
        return new ConfigList(path, file, line, items);
    }

    /** Reads the value at the current token; containers take {@code keyLine}, scalars their own line. */
    private ConfigNode value(String path, int keyLine) throws IOException {
        if (parser.isCurrentAlias()) {
            throw new ConfigException(path, "YAML aliases (*name) are not supported; write the value out",
                    file, tokenLine());
        }
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            return map(path, keyLine);
        }
        if (token == JsonToken.START_ARRAY) {
            return list(path, keyLine);
        }
        if (token == null || !token.isScalarValue()) {
            throw new ConfigException(path, "unexpected " + token, file, tokenLine());
        }
        String text = token == JsonToken.VALUE_NULL ? null : parser.getText();
        return new ConfigScalar(path, file, tokenLine(), text);
    }

    private int tokenLine() {
        JsonLocation location = parser.currentTokenLocation();
        return location == null ? 0 : location.getLineNr();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int end = message.indexOf('\n');
        return (end < 0 ? message : message.substring(0, end)).trim();
    }
}
