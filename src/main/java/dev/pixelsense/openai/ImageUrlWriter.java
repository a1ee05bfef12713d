package dev.pixelsense.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes {@code image_url} objects, copying base64 data URLs as raw bytes. A 1080p screenshot is
 * a few hundred kilobytes of base64, and Jackson's escaping writer took about 2 ms per request for
 * it (measured by bench/run); base64 and the {@code data:image/...;base64,} prefix never need
 * escaping, so after one scan that proves it the bytes are copied as they are.
 */
final class ImageUrlWriter extends JsonSerializer<ContentPart.ImageUrl> {

    @Override
    public void serialize(ContentPart.ImageUrl value, JsonGenerator gen, SerializerProvider provider) throws IOException {
        gen.writeStartObject();
        gen.writeFieldName("url");
        String url = value.url();
        if (url != null && url.length() > 1024 && needsNoEscaping(url)) {
            byte[] raw = url.getBytes(StandardCharsets.ISO_8859_1);
            gen.writeRawUTF8String(raw, 0, raw.length);
        } else {
            gen.writeString(url);
        }
        if (value.detail() != null) {
            gen.writeStringField("detail", value.detail());
        }
        gen.writeEndObject();
    }

    /** True when every character is printable ASCII other than a quote or a backslash. */
    static boolean needsNoEscaping(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7E || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }
}
