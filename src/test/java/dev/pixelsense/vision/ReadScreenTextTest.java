package dev.pixelsense.vision;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pixelsense.testing.ChildJvm;
import dev.pixelsense.testing.OcrModelFiles;
import dev.pixelsense.testing.RawHttp;
import dev.pixelsense.testing.TestServer;
import dev.pixelsense.testing.TextWindow;
import dev.pixelsense.testing.Xvfb;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * read_text and find on the real screen: a window under Xvfb shows known lines of text, the
 * describe service captures the screen and runs the real PP-OCRv4 models (pulled into a store
 * through a local mirror), and the lines come back with boxes in screen coordinates.
 */
class ReadScreenTextTest {
    private static final String[] LINES = {"Open the settings panel", "Save changes before closing", "Cancel"};
    private static Xvfb xvfb;
    private static Process window;
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        xvfb = Xvfb.start("-screen", "0", "1280x720x24");
        System.setProperty("pixelsense.display", xvfb.display());
        List<String> args = new ArrayList<>(List.of("200,100,600,200"));
        args.addAll(List.of(LINES));
        window = ChildJvm.startAndAwait(Map.of("DISPLAY", xvfb.display()), "READY", TextWindow.class.getName(),
                args.toArray(String[]::new));
        Path store = OcrModelFiles.pulledStore();
        server = TestServer.start("server:\n  port: 0\nstore:\n  dir: " + store + "\n");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        window.destroyForcibly().waitFor();
        System.clearProperty("pixelsense.display");
        xvfb.close();
    }

    @Test
    void should_read_the_text_on_the_screen_with_boxes_in_screen_coordinates() throws Exception {
        RawHttp.Response r = RawHttp.post(server.port(), "/vision/describe", "{\"task\":\"read_text\"}", Map.of());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode lines = r.json().path("lines");
        for (int i = 0; i < LINES.length; i++) {
            String expected = LINES[i];
            int baseline = 100 + TextWindow.FIRST_BASELINE + i * TextWindow.LINE_STEP;
            JsonNode line = find(lines, expected);
            assertThat(line).as("'" + expected + "' in " + lines).isNotNull();
            assertThat(line.path("x").asInt()).isBetween(200 + TextWindow.LEFT - 8, 200 + TextWindow.LEFT + 4);
            assertThat(line.path("y").asInt()).isBetween(baseline - TextWindow.SIZE - 6, baseline - TextWindow.SIZE / 2);
            assertThat(line.path("y").asInt() + line.path("height").asInt()).isBetween(baseline - 2, baseline + 12);
        }
        assertThat(r.json().path("timings").path("ocr_ms").asDouble()).isPositive();
    }

    @Test
    void should_find_text_on_the_screen() throws Exception {
        RawHttp.Response r = RawHttp.post(server.port(), "/vision/describe",
                "{\"task\":\"find\",\"prompt\":\"save changes\"}", Map.of());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().path("matches")).singleElement()
                .satisfies(m -> assertThat(m.path("text").asText()).containsIgnoringCase("save changes"));
        RawHttp.Response none = RawHttp.post(server.port(), "/vision/describe",
                "{\"task\":\"find\",\"prompt\":\"no such words here\"}", Map.of());
        assertThat(none.json().path("matches")).isEmpty();
    }

    private static JsonNode find(JsonNode lines, String text) {
        String wanted = text.replace(" ", "").toLowerCase();
        for (JsonNode l : lines) {
            if (l.path("text").asText().replace(" ", "").toLowerCase().equals(wanted)) {
                return l;
            }
        }
        return null;
    }
}
