package dev.pixelsense.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.pixelsense.error.UpstreamException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One streamed chunk as the JSON text it travels in. A relay needs only a few facts about a chunk
 * (its model, its usage, whether a choice finished, whether it is an error), so those are found by
 * a single structural scan and the bytes are forwarded as they came; rewriting the model name or
 * dropping the usage edits the text. Parsing into a {@link ChatChunk} happens only when a caller
 * asks for the object ({@link #chunk()}). On a small machine this leaves the CPU to the model: a
 * parse and a re-write per token was most of the server's own work in a streamed answer.
 *
 * <p>The scan checks the structure (one object, quoted keys, balanced brackets, terminated
 * strings), not every detail of the grammar; {@link #chunk()} is the full check. Immutable.
 */
public final class ChunkJson {
    private static final ObjectReader CHUNKS = OpenAiJson.MAPPER.readerFor(ChatChunk.class);
    private static final ObjectReader USAGE = OpenAiJson.MAPPER.readerFor(Usage.class);
    private static final ObjectWriter WRITER = OpenAiJson.MAPPER.writerFor(ChatChunk.class);
    private static final int MAX_DEPTH = 64;

    private final byte[] json;
    private final Span model;
    private final Span usage;
    private final Span error;
    private final boolean hasChoices;
    private final boolean finished;
    private volatile ChatChunk parsed;

    /** Where a top-level member sits: from its key's opening quote, its value, to the value's end. */
    private record Span(int member, int value, int end) {
    }

    private ChunkJson(byte[] json, Span model, Span usage, Span error, boolean hasChoices, boolean finished,
                      ChatChunk parsed) {
        this.json = json;
        this.model = model;
        this.usage = usage;
        this.error = error;
        this.hasChoices = hasChoices;
        this.finished = finished;
        this.parsed = parsed;
    }

    /**
     * Scans the JSON text of a chunk (kept, not copied).
     *
     * @throws IOException naming the byte where the text stops being a JSON object
     */
    public static ChunkJson parse(byte[] json) throws IOException {
        return new Scan(json).chunk(null);
    }

    /** The JSON text of a chunk object. */
    public static ChunkJson of(ChatChunk chunk) {
        try {
            return new Scan(WRITER.writeValueAsBytes(chunk)).chunk(chunk);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a chat chunk", e);
        }
    }

    /** The JSON text; not to be modified. */
    public byte[] bytes() {
        return json;
    }

    /**
     * The chunk as an object, parsed on first use.
     *
     * @throws UpstreamException if the text is not a {@code chat.completion.chunk}
     */
    public ChatChunk chunk() {
        ChatChunk c = parsed;
        if (c == null) {
            try {
                c = CHUNKS.readValue(json);
            } catch (IOException e) {
                throw new UpstreamException("the upstream sent a chunk that is not a chat.completion.chunk: "
                        + e.getMessage());
            }
            parsed = c;
        }
        return c;
    }

    /** True when some choice carries a finish reason: the answer is complete. */
    public boolean finished() {
        return finished;
    }

    /** True for the usage-only chunk that ends a stream with {@code include_usage}. */
    public boolean usageOnly() {
        return usage != null && !hasChoices;
    }

    /**
     * The token counts this chunk carries, or null.
     *
     * @throws UpstreamException if the usage is not one
     */
    public Usage usage() {
        if (usage == null || json[usage.value] == 'n') {
            return null;
        }
        try {
            return USAGE.readValue(json, usage.value, usage.end - usage.value);
        } catch (IOException e) {
            throw new UpstreamException("the upstream sent a usage that cannot be read: " + e.getMessage());
        }
    }

    /**
     * The message of an {@code {"error": ...}} event (an upstream failing mid-answer), or null for
     * an ordinary chunk.
     */
    public String errorMessage() {
        if (error == null || json[error.value] == 'n') {
            return null;
        }
        try {
            JsonNode e = OpenAiJson.MAPPER.readTree(Arrays.copyOfRange(json, error.value, error.end));
            return e.path("message").isTextual() ? e.path("message").asText() : e.toString();
        } catch (IOException e) {
            return new String(json, error.value, error.end - error.value, StandardCharsets.UTF_8);
        }
    }

    /** This chunk naming {@code name} as its model; the same instance when it already does. */
    public ChunkJson withModel(String name) {
        byte[] quoted = quote(name);
        if (model != null && Arrays.equals(json, model.value, model.end, quoted, 0, quoted.length)) {
            return this;
        }
        ChatChunk p = parsed;
        ChatChunk renamed = p == null ? null : p.withModel(name);
        if (model != null) {
            return rescan(splice(json, model.value, model.end, quoted), renamed);
        }
        byte[] member = concat("\"model\":".getBytes(StandardCharsets.US_ASCII), quoted,
                json[firstAfterBrace()] == '}' ? new byte[0] : new byte[] {','});
        return rescan(splice(json, firstAfterBrace(), firstAfterBrace(), member), renamed);
    }

    /** This chunk without its usage member; the same instance when it has none. */
    public ChunkJson withoutUsage() {
        if (usage == null) {
            return this;
        }
        int from = usage.member;
        int to = usage.end;
        int after = skipSpace(json, to);
        if (json[after] == ',') {
            to = after + 1;
        } else {
            // the last member: take the comma before it
            int before = from - 1;
            while (before > 0 && isSpace(json[before])) {
                before--;
            }
            if (json[before] == ',') {
                from = before;
            }
        }
        ChatChunk p = parsed;
        return rescan(splice(json, from, to, new byte[0]), p == null ? null : p.withoutUsage());
    }

    @Override
    public String toString() {
        return new String(json, StandardCharsets.UTF_8);
    }

    private int firstAfterBrace() {
        return skipSpace(json, skipSpace(json, 0) + 1);
    }

    private static ChunkJson rescan(byte[] json, ChatChunk parsed) {
        try {
            return new Scan(json).chunk(parsed);
        } catch (IOException e) {
            throw new IllegalStateException("an edit broke a chunk's JSON: " + new String(json, StandardCharsets.UTF_8), e);
        }
    }

    private static byte[] quote(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return OpenAiJson.write(s);
            }
        }
        byte[] out = new byte[s.length() + 2];
        out[0] = '"';
        s.getBytes(0, s.length(), out, 1);
        out[out.length - 1] = '"';
        return out;
    }

    private static byte[] splice(byte[] a, int from, int to, byte[] insert) {
        byte[] out = new byte[a.length - (to - from) + insert.length];
        System.arraycopy(a, 0, out, 0, from);
        System.arraycopy(insert, 0, out, from, insert.length);
        System.arraycopy(a, to, out, from + insert.length, a.length - to);
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    private static int skipSpace(byte[] a, int i) {
        while (i < a.length && isSpace(a[i])) {
            i++;
        }
        return i;
    }

    /** The structural scan: one pass, values other than the ones of interest skipped. */
    private static final class Scan {
        private final byte[] a;
        private int i;
        private Span model;
        private Span usage;
        private Span error;
        private boolean hasChoices;
        private boolean finished;

        Scan(byte[] a) {
            this.a = a;
        }

        ChunkJson chunk(ChatChunk parsed) throws IOException {
            space();
            object((member, keyFrom, keyTo) -> {
                int value = i;
                if (key(keyFrom, keyTo, "choices")) {
                    choices();
                } else {
                    skip(1);
                }
                Span span = new Span(member, value, i);
                if (key(keyFrom, keyTo, "model")) {
                    model = span;
                } else if (key(keyFrom, keyTo, "usage")) {
                    usage = span;
                } else if (key(keyFrom, keyTo, "error")) {
                    error = span;
                }
            });
            space();
            if (i != a.length) {
                throw malformed("text after the end of the object");
            }
            return new ChunkJson(a, model, usage, error, hasChoices, finished, parsed);
        }

        /** {@code "choices": [ {..., "finish_reason": ...}, ... ]}: counts them, notes a finish. */
        private void choices() throws IOException {
            if (peek() != '[') {
                skip(1);
                return;
            }
            array(() -> {
                hasChoices = true;
                if (peek() == '{') {
                    object((member, keyFrom, keyTo) -> {
                        if (key(keyFrom, keyTo, "finish_reason") && peek() != 'n') {
                            finished = true;
                        }
                        skip(3);
                    });
                } else {
                    skip(2);
                }
            });
        }

        /** Skips one value of any kind. */
        private void skip(int depth) throws IOException {
            if (depth > MAX_DEPTH) {
                throw malformed("nested deeper than " + MAX_DEPTH + " levels");
            }
            switch (peek()) {
                case '"' -> string();
                case '{' -> object((member, keyFrom, keyTo) -> skip(depth + 1));
                case '[' -> array(() -> skip(depth + 1));
                default -> {
                    int from = i;
                    while (i < a.length && (Character.isLetterOrDigit(a[i]) || a[i] == '-' || a[i] == '+' || a[i] == '.')) {
                        i++;
                    }
                    if (i == from) {
                        throw malformed("a value was expected");
                    }
                }
            }
        }

        /** What to do with one member's value; the scan stands at the value's first byte. */
        private interface Member {
            void value(int member, int keyFrom, int keyTo) throws IOException;
        }

        /** What to do with one element; the scan stands at its first byte. */
        private interface Element {
            void value() throws IOException;
        }

        /** {@code { "key": value, ... }}, each value handed to {@code each}, which must consume it. */
        private void object(Member each) throws IOException {
            expect('{');
            space();
            if (peek() == '}') {
                i++;
                return;
            }
            while (true) {
                int member = i;
                string();
                int keyTo = i - 1;
                space();
                expect(':');
                space();
                each.value(member, member + 1, keyTo);
                if (!next('}')) {
                    return;
                }
            }
        }

        /** {@code [ value, ... ]}, each value handed to {@code each}, which must consume it. */
        private void array(Element each) throws IOException {
            expect('[');
            space();
            if (peek() == ']') {
                i++;
                return;
            }
            do {
                each.value();
            } while (next(']'));
        }

        /** After a value: true at a comma (another member or element follows), false at {@code close}. */
        private boolean next(char close) throws IOException {
            space();
            if (peek() == ',') {
                i++;
                space();
                return true;
            }
            expect(close);
            return false;
        }

        private void string() throws IOException {
            expect('"');
            while (i < a.length) {
                byte b = a[i++];
                if (b == '"') {
                    return;
                }
                if (b == '\\') {
                    i++;
                } else if (b >= 0 && b < 0x20) {
                    throw malformed("a control character inside a string");
                }
            }
            throw malformed("a string that does not end");
        }

        private boolean key(int from, int to, String name) {
            if (to - from != name.length()) {
                return false;
            }
            for (int k = 0; k < name.length(); k++) {
                if (a[from + k] != name.charAt(k)) {
                    return false;
                }
            }
            return true;
        }

        private byte peek() throws IOException {
            if (i >= a.length) {
                throw malformed("the text ends too early");
            }
            return a[i];
        }

        private void expect(char c) throws IOException {
            if (peek() != c) {
                throw malformed("'" + c + "' was expected");
            }
            i++;
        }

        private void space() {
            i = skipSpace(a, i);
        }

        private IOException malformed(String what) {
            return new IOException("a streamed chunk is not a JSON object: " + what + " at byte " + i);
        }
    }
}
