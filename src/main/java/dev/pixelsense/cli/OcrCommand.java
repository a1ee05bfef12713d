package dev.pixelsense.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.pixelsense.Pixelsense;
import dev.pixelsense.screen.Rect;
import dev.pixelsense.vision.ocr.Ocr;
import dev.pixelsense.vision.ocr.OcrJson;
import dev.pixelsense.vision.ocr.OcrLine;
import dev.pixelsense.vision.ocr.OcrModels;
import dev.pixelsense.vision.ocr.OcrOptions;
import dev.pixelsense.vision.ocr.OcrResult;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "ocr", mixinStandardHelpOptions = true,
        description = {"Read the text in an image, on this machine (PaddleOCR PP-OCRv4 on ONNX Runtime).",
            "Prints one line per text line: x,y,width,height of its box, confidence, text.",
            "Needs the models once: pixelsense pull ppocr-v4"})
final class OcrCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Parameters(paramLabel = "FILE", description = "A PNG, JPEG, GIF or BMP image (a screenshot, say).")
    Path file;

    @Option(names = "--json", description = "Print JSON: lines with their corner points, bounds, words and confidences, "
            + "and the time taken.")
    boolean json;

    @Option(names = "--models", paramLabel = "DIR", description = "Read ch_PP-OCRv4_det_infer.onnx, "
            + "ch_PP-OCRv4_rec_infer.onnx and ppocr_keys_v1.txt from DIR instead of the model store.")
    Path modelDir;

    @Option(names = "--max-side", paramLabel = "PX", defaultValue = "1920",
            description = "Detection downscales larger images to this longer side (default: ${DEFAULT-VALUE}).")
    int maxSide;

    @Option(names = "--int8", paramLabel = "WHICH", defaultValue = "recognizer",
            description = "Which models run as int8 versions made from the published ones on first use (cached in "
                    + "the store): recognizer (default: 1.6-2x faster per line, the same words on the test scenes), "
                    + "both (the detector too: faster, boxes up to 4 px larger) or off (the float models).")
    OcrOptions.Int8 int8;

    @Override
    public Integer call() throws IOException {
        BufferedImage image = ImageFile.read(file).decode();
        OcrResult result;
        try (Ocr ocr = Ocr.open(models(), OcrOptions.defaults().withMaxSide(maxSide).withInt8(int8))) {
            result = ocr.recognize(image);
        }
        if (json) {
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(OcrJson.of(result)));
            return 0;
        }
        for (OcrLine line : result.lines()) {
            Rect b = line.bounds();
            System.out.printf(Locale.ROOT, "%5d,%5d,%5d,%4d  %.2f  %s%n", b.x(), b.y(), b.width(), b.height(), line.confidence(),
                    line.text());
        }
        System.err.printf(Locale.ROOT, "%d lines in %dx%d; detection %d ms, recognition %d ms%n", result.lines().size(),
                result.width(), result.height(), result.detection().toMillis(), result.recognition().toMillis());
        return 0;
    }

    private OcrModels models() {
        if (modelDir != null) {
            return OcrModels.inDirectory(modelDir);
        }
        try (Pixelsense px = Pixelsense.open(config.load(), System::getenv)) {
            return OcrModels.fromStore(px.store());
        }
    }
}
