package dev.pixelsense.vision.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pixelsense.testing.Cli;
import dev.pixelsense.testing.OcrModelFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pixelsense ocr FILE [--json]} with the models pulled into the configured store. */
class OcrCommandTest {
    @TempDir
    Path dir;

    Path config(Path store) throws Exception {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, "store:\n  dir: \"" + store.toAbsolutePath() + "\"\n");
        return file;
    }

    Path screenshot() throws Exception {
        TextScene scene = new TextScene(640, 200, TextScene.Theme.LIGHT);
        scene.text("Save changes before closing?", "Dialog", 20, 20, 20, TextScene.Theme.LIGHT);
        scene.text("Cancel", "Dialog", 16, 20, 80, TextScene.Theme.LIGHT);
        scene.text("Apply", "Dialog", 16, 300, 80, TextScene.Theme.LIGHT);
        Path png = dir.resolve("dialog.png");
        ImageIO.write(scene.image(), "png", png.toFile());
        return png;
    }

    /** The three model files copied into a directory of their own. */
    Path modelsIn(String name) throws Exception {
        Path own = Files.createDirectories(dir.resolve(name));
        OcrModels pulled = OcrTestSupport.models();
        Files.copy(pulled.detector(), own.resolve(OcrModels.DETECTOR_FILE));
        Files.copy(pulled.recognizer(), own.resolve(OcrModels.RECOGNIZER_FILE));
        Files.copy(pulled.keys(), own.resolve(OcrModels.KEYS_FILE));
        return own;
    }

    @Test
    void should_print_each_line_with_its_box_and_confidence() throws Exception {
        Cli.Captured c = Cli.run("ocr", "-c", config(OcrModelFiles.pulledStore()).toString(), screenshot().toString());

        assertThat(c.code()).as(c.err()).isZero();
        List<String> lines = c.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.getFirst()).matches(" +\\d+, +\\d+, +\\d+, +\\d+  [01]\\.\\d\\d  Save changes before closing\\?");
        assertThat(lines.get(1)).endsWith("  Cancel");
        assertThat(lines.get(2)).endsWith("  Apply");
        // other tests in the same JVM may have started the logger at INFO, so its lines can precede ours
        assertThat(c.err().lines()).anySatisfy(l -> assertThat(l).startsWith("3 lines in 640x200; detection "));
    }

    @Test
    void should_print_json_with_corners_bounds_words_and_timing() throws Exception {
        Cli.Captured c = Cli.run("ocr", "--json", "-c", config(OcrModelFiles.pulledStore()).toString(),
                screenshot().toString());

        assertThat(c.code()).as(c.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(c.out());
        assertThat(json.path("width").asInt()).isEqualTo(640);
        JsonNode first = json.path("lines").get(0);
        assertThat(first.path("text").asText()).isEqualTo("Save changes before closing?");
        assertThat(first.path("box")).hasSize(4);
        assertThat(first.path("bounds").path("x").asInt()).isBetween(16, 24);
        assertThat(first.path("words")).extracting(w -> w.path("text").asText())
                .containsExactly("Save", "changes", "before", "closing?");
        assertThat(json.path("timing_ms").path("recognition").asLong()).isPositive();
    }

    @Test
    void should_read_models_from_a_directory_given() throws Exception {
        Path own = modelsIn("models");

        Cli.Captured c = Cli.run("ocr", "--models", own.toString(), "-c", config(dir.resolve("empty")).toString(),
                screenshot().toString());

        assertThat(c.code()).as(c.err()).isZero();
        assertThat(c.out()).contains("Save changes before closing?");
        // the int8 recognizer (the default) is made next to the models it comes from
        try (var files = Files.list(own)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith("-int8-v1.onnx"));
        }
    }

    @Test
    void should_run_the_float_models_with_int8_off() throws Exception {
        Path own = modelsIn("float-models");

        Cli.Captured c = Cli.run("ocr", "--int8", "off", "--models", own.toString(), "-c",
                config(dir.resolve("empty")).toString(), screenshot().toString());
        Cli.Captured bad = Cli.run("ocr", "--int8", "half", "--models", own.toString(), screenshot().toString());

        assertThat(c.code()).as(c.err()).isZero();
        assertThat(c.out()).contains("Save changes before closing?");
        try (var files = Files.list(own)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("int8"));
        }
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err().lines()).hasSize(1).first().asString().contains("--int8").contains("half");
    }

    @Test
    void should_make_the_int8_recognizer_when_the_models_are_pulled() throws Exception {
        // a copy of a store that has ppocr-v4 but none of the files made from it (pulling it again
        // finds every file there and downloads nothing)
        Path store = OcrModelFiles.copyOfPulledStore(dir.resolve("store"), false);

        Cli.Captured c = Cli.run("pull", "-c", config(store).toString(), "ppocr-v4");

        assertThat(c.code()).as(c.err()).isZero();
        assertThat(c.err()).contains("preparing ppocr-v4: making the int8 OCR recognizer (once, about 15 s)")
                .contains("prepared ppocr-v4: OCR ready");
        try (java.util.stream.Stream<Path> made = Files.list(store.resolve("derived"))) {
            assertThat(made.map(p -> p.getFileName().toString()))
                    .containsExactly("ppocr-rec-06b3e6af6c59a1ba-int8-v" + OcrQuantization.VERSION + ".onnx");
        }
    }

    @Test
    void should_say_in_one_line_to_pull_the_models_when_they_are_missing() throws Exception {
        Cli.Captured c = Cli.run("ocr", "-c", config(dir.resolve("empty-store")).toString(), screenshot().toString());

        assertThat(c.code()).isEqualTo(1);
        assertThat(c.out()).isEmpty();
        assertThat(c.err()).isEqualTo("pixelsense: the OCR models are not pulled yet: run 'pixelsense pull ppocr-v4'"
                + System.lineSeparator());
    }

    @Test
    void should_exit_2_with_one_line_for_a_missing_file_or_one_that_is_not_an_image() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.png"), "not a picture");

        Cli.Captured missing = Cli.run("ocr", dir.resolve("nope.png").toString());
        Cli.Captured notImage = Cli.run("ocr", text.toString());

        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).isEqualTo("pixelsense: image file not found: " + dir.resolve("nope.png")
                + System.lineSeparator());
        assertThat(notImage.code()).isEqualTo(2);
        assertThat(notImage.err().lines()).containsExactly("pixelsense: " + text
                + " is not a PNG, JPEG, WebP, GIF or BMP image");
    }
}
