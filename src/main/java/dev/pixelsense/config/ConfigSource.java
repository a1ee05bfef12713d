package dev.pixelsense.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Where config values came from: the file name and the line of every key, recorded by a
 * streaming pass over the text so that validation errors can point at a line.
 */
final class ConfigSource {
    static final ConfigSource NONE = new ConfigSource("<built-in defaults>", Map.of());

    private final String file;
    private final Map<String, Integer> lines;

    private ConfigSource(String file, Map<String, Integer> lines) {
        this.file = file;
        this.lines = lines;
    }

    String file() {
        return file;
    }

    String describe(String path) {
        Integer line = lineOf(path);
        String at = line == null ? file : file + ":" + line;
        return path.isEmpty() ? at : at + ": " + path;
    }

    /** The line of {@code path}, or of its nearest ancestor that has one. */
    private Integer lineOf(String path) {
        String p = path;
        while (!p.isEmpty()) {
            Integer line = lines.get(p);
            if (line != null) {
                return line;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut < 0 ? "" : p.substring(0, cut);
        }
        return null;
    }

    static ConfigSource scan(String file, String text, JsonFactory factory) throws IOException {
        Map<String, Integer> lines = new HashMap<>();
        // One frame per open container: its path, and for arrays the index of the next element.
        Deque<String> paths = new ArrayDeque<>();
        Deque<int[]> indexes = new ArrayDeque<>();
        String pendingField = null;
        try (JsonParser p = factory.createParser(text)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                int line = p.currentTokenLocation().getLineNr();
                if (t == JsonToken.FIELD_NAME) {
                    pendingField = join(paths.peek(), p.currentName());
                    lines.put(pendingField, line);
                    continue;
                }
                String here = valuePath(paths, indexes, pendingField);
                pendingField = null;
                if (here != null) {
                    lines.putIfAbsent(here, line);
                }
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    paths.push(here == null ? "" : here);
                    indexes.push(t == JsonToken.START_ARRAY ? new int[] {0} : new int[] {-1});
                } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    paths.pop();
                    indexes.pop();
                }
            }
        }
        return new ConfigSource(file, lines);
    }

    private static String valuePath(Deque<String> paths, Deque<int[]> indexes, String pendingField) {
        if (pendingField != null) {
            return pendingField;
        }
        if (indexes.isEmpty()) {
            return "";
        }
        int[] index = indexes.peek();
        if (index[0] < 0) {
            return null; // an END token inside an object
        }
        return paths.peek() + "[" + index[0]++ + "]";
    }

    private static String join(String parent, String key) {
        return parent == null || parent.isEmpty() ? key : parent + "." + key;
    }
}
