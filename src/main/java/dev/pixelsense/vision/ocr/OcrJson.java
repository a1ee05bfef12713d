package dev.pixelsense.vision.ocr;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixelsense.screen.Rect;

/**
 * The JSON form of an {@link OcrResult}, one shape for every surface that prints or serves OCR:
 * <pre>{@code
 * {"width": 1920, "height": 1080,
 *  "lines": [{"text": "File Edit", "confidence": 0.98,
 *             "box": [[x, y], [x, y], [x, y], [x, y]],          (clockwise from the top-left)
 *             "bounds": {"x": 12, "y": 4, "width": 80, "height": 20},
 *             "words": [{"text": "File", "confidence": 0.99, "bounds": {...}}, ...]}],
 *  "timing_ms": {"detection": 310, "recognition": 420}}
 * }</pre>
 */
public final class OcrJson {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private OcrJson() {
    }

    public static ObjectNode of(OcrResult result) {
        ObjectNode root = JSON.objectNode().put("width", result.width()).put("height", result.height());
        ArrayNode lines = root.putArray("lines");
        for (OcrLine line : result.lines()) {
            ObjectNode l = lines.addObject().put("text", line.text()).put("confidence", round(line.confidence()));
            ArrayNode box = l.putArray("box");
            Quad q = line.box();
            for (Quad.Point p : new Quad.Point[] {q.topLeft(), q.topRight(), q.bottomRight(), q.bottomLeft()}) {
                box.addArray().add(p.x()).add(p.y());
            }
            l.set("bounds", rect(line.bounds()));
            ArrayNode words = l.putArray("words");
            for (OcrWord w : line.words()) {
                words.addObject().put("text", w.text()).put("confidence", round(w.confidence()))
                        .set("bounds", rect(w.bounds()));
            }
        }
        root.putObject("timing_ms").put("detection", result.detection().toMillis())
                .put("recognition", result.recognition().toMillis());
        return root;
    }

    private static ObjectNode rect(Rect r) {
        return JSON.objectNode().put("x", r.x()).put("y", r.y()).put("width", r.width()).put("height", r.height());
    }

    private static double round(float confidence) {
        return Math.round(confidence * 1000) / 1000.0;
    }
}
