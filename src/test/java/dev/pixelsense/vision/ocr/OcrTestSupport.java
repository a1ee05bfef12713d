package dev.pixelsense.vision.ocr;

import dev.pixelsense.config.StoreConfig;
import dev.pixelsense.screen.Rect;
import dev.pixelsense.store.ModelStore;
import dev.pixelsense.testing.OcrModelFiles;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The pulled PP-OCRv4 files, and matching OCR lines to the lines a {@link TextScene} drew. */
final class OcrTestSupport {
    private OcrTestSupport() {
    }

    /** The models as a user has them after {@code pixelsense pull ppocr-v4} (through a local mirror). */
    static OcrModels models() throws Exception {
        try (ModelStore store = new ModelStore(new StoreConfig(OcrModelFiles.pulledStore(), List.of()),
                List.of(OcrModelFiles.builtIn()), Map.<String, String>of()::get)) {
            return OcrModels.fromStore(store);
        }
    }

    /** The OCR lines whose centre lies in the drawn line's box, left to right. */
    static List<OcrLine> linesOn(TextScene.Drawn drawn, OcrResult result) {
        return result.lines().stream().filter(l -> {
            Rect b = l.bounds();
            double cx = b.x() + b.width() / 2.0, cy = b.y() + b.height() / 2.0;
            return cx >= drawn.x() && cx <= drawn.right() && cy >= drawn.top() && cy <= drawn.bottom();
        }).sorted(Comparator.comparingInt(l -> l.bounds().x())).toList();
    }

    /** What was read where the line was drawn. */
    static String textOn(TextScene.Drawn drawn, OcrResult result) {
        return linesOn(drawn, result).stream().map(OcrLine::text).collect(Collectors.joining(" "));
    }
}
