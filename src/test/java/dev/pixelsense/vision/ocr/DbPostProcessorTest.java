package dev.pixelsense.vision.ocr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Detection post-processing on hand-made probability maps: no model needed. */
class DbPostProcessorTest {
    static final OcrOptions OPTIONS = OcrOptions.defaults();

    static float[] map(int w, int h) {
        return new float[w * h];
    }

    static void fill(float[] map, int w, int x0, int y0, int x1, int y1, float p) {
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                map[y * w + x] = p;
            }
        }
    }

    @Test
    void should_find_one_box_per_region_grown_by_the_unclip_distance() {
        float[] map = map(100, 40);
        fill(map, 100, 10, 10, 49, 17, 0.9f); // 40 x 8 pixels: centres span 39 x 7
        fill(map, 100, 60, 20, 89, 29, 0.8f);

        List<DbPostProcessor.Detected> boxes = new DbPostProcessor(OPTIONS).boxes(map, 100, 100, 40);

        assertThat(boxes).hasSize(2);
        RotatedBox first = boxes.getFirst().box();
        double d = 39 * 7 * 1.5 / (2 * (39 + 7)); // A * ratio / L
        assertThat(first.width()).isCloseTo(39 + 2 * d, within(1e-6));
        assertThat(first.height()).isCloseTo(7 + 2 * d, within(1e-6));
        assertThat(first.cx()).isCloseTo(29.5, within(1e-6));
        assertThat(first.cy()).isCloseTo(13.5, within(1e-6));
        assertThat(first.ux()).isEqualTo(1.0);
        assertThat(boxes.getFirst().score()).isCloseTo(0.9f, within(1e-6f));
    }

    @Test
    void should_join_regions_that_touch_only_at_a_corner() {
        float[] map = map(40, 20);
        fill(map, 40, 2, 2, 9, 6, 0.9f);
        fill(map, 40, 10, 7, 19, 12, 0.9f); // touches the first at (9,6)-(10,7) only
        fill(map, 40, 25, 2, 30, 6, 0.9f);  // apart

        DbPostProcessor.Runs runs = DbPostProcessor.Runs.find(map, 40, 40, 20, 0.3f);

        assertThat(java.util.stream.IntStream.range(0, runs.count).map(runs::root).distinct().count()).isEqualTo(2);
    }

    @Test
    void should_drop_thin_and_faint_regions() {
        float[] map = map(60, 30);
        fill(map, 60, 2, 5, 30, 6, 0.9f);    // 2 rows tall: short side 1 < min size 3
        fill(map, 60, 2, 15, 30, 25, 0.35f); // above the binary threshold, below the box threshold
        fill(map, 60, 40, 15, 58, 25, 0.7f);

        List<DbPostProcessor.Detected> boxes = new DbPostProcessor(OPTIONS).boxes(map, 60, 60, 30);

        assertThat(boxes).singleElement().satisfies(b -> assertThat(b.box().cx()).isCloseTo(49, within(1e-6)));
    }

    @Test
    void should_ignore_the_padding_beyond_the_image_content() {
        float[] map = map(64, 32);
        fill(map, 64, 40, 4, 63, 20, 0.9f);

        assertThat(new DbPostProcessor(OPTIONS).boxes(map, 64, 32, 32)).isEmpty();
    }

    @Test
    void should_fit_the_minimum_area_rectangle_of_a_slanted_region() {
        double angle = Math.toRadians(20), c = Math.cos(angle), s = Math.sin(angle);
        int n = 0;
        int[] xs = new int[2000], ys = new int[2000];
        for (int u = -40; u <= 40; u++) {
            for (int v = -6; v <= 6; v += 12) {
                xs[n] = (int) Math.round(100 + u * c - v * s);
                ys[n++] = (int) Math.round(50 + u * s + v * c);
            }
        }

        RotatedBox box = Geometry.minAreaRect(Geometry.convexHull(xs, ys, n));

        assertThat(Math.toDegrees(Math.atan2(box.uy(), box.ux()))).isCloseTo(20, within(1.5));
        assertThat(box.width()).isCloseTo(80, within(1.5));
        assertThat(box.height()).isCloseTo(12, within(1.5));
        assertThat(box.cx()).isCloseTo(100, within(1.0));
    }

    @Test
    void should_turn_a_standing_box_so_its_width_runs_left_to_right() {
        RotatedBox standing = new RotatedBox(10, 10, 0, -1, 30, 8); // width axis pointing up

        RotatedBox turned = standing.readingOrder();

        assertThat(turned.ux()).isCloseTo(1, within(1e-9));
        assertThat(turned.width()).isEqualTo(8);
        assertThat(turned.height()).isEqualTo(30);
    }
}
