package io.s3logger.it;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The events the real-client tests log, the recipes they are configured with (the files
 * docs/clients.md shows), and reading a field back from the stored lines.
 */
final class ClientEvents {

    private static final JsonFactory JSON = new JsonFactory();

    private ClientEvents() {}

    /** Event {@code i}'s message: escapes, non-ASCII, a tab and an emoji, of varying length. */
    static String message(int i) {
        return "event %05d café \"quoted\" ü \\ back\ttab 😀 ".formatted(i) + "x".repeat(i % 40);
    }

    static List<String> messages(int count) {
        return IntStream.range(0, count).mapToObj(ClientEvents::message).toList();
    }

    /** A recipe from src/test/resources/clients, pointed at {@code address} instead of localhost:8080. */
    static String recipe(String name, InetSocketAddress address) {
        try (InputStream in = ClientEvents.class.getResourceAsStream("/clients/" + name)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String host = address.getHostString();
            int port = address.getPort();
            String pointed = text.replace("localhost:8080", host + ":" + port)
                    .replace("host=\"localhost\" port=\"8080\"", "host=\"" + host + "\" port=\"" + port + "\"");
            if (pointed.equals(text)) {
                throw new AssertionError("recipe " + name + " names no localhost:8080 to replace");
            }
            return pointed;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The string value of top-level field {@code name} of each line (lines without it are skipped). */
    static List<String> field(List<String> lines, String name) {
        List<String> values = new ArrayList<>(lines.size());
        for (String line : lines) {
            try (JsonParser parser = JSON.createParser(line)) {
                parser.nextToken();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String field = parser.currentName();
                    parser.nextToken();
                    if (field.equals(name)) {
                        values.add(parser.getText());
                    }
                    parser.skipChildren();
                }
            } catch (IOException e) {
                throw new AssertionError("stored line is not JSON: " + line, e);
            }
        }
        return values;
    }
}
