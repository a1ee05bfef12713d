package dev.pixelsense.bench;

import dev.pixelsense.Pixelsense;
import dev.pixelsense.vision.DescribeRequest;
import dev.pixelsense.vision.DescribeResult;
import dev.pixelsense.vision.ImageEncoder;
import java.awt.Robot;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The describe pipeline's overhead without the model (issue 6): {@code describe_screen} on a
 * 1920x1080 Xvfb through the library (the same service as {@code POST /vision/describe}), with an
 * instant OpenAI-compatible upstream as the vision model, so what is left is capture, resize to
 * {@code vision.max_edge}, JPEG, the request's JSON and its HTTP round trip. The service's own
 * timing breakdown is reported per stage.
 *
 * <p>Anchor, in the same run: the screenshot a script sends (a full-size Robot capture encoded as
 * PNG and base64, as pyautogui + requests do), without sending it.
 *
 * <p>Usage (DISPLAY set): {@code DescribeBench RUNS}.
 */
public final class DescribeBench {
    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(args[0]);
        try (InstantUpstream upstream = InstantUpstream.start()) {
            String yaml = """
                    models:
                      - id: vlm
                        backend: openai
                        base_url: %s
                    vision:
                      model: vlm
                    """.formatted(upstream.baseUrl());
            try (Pixelsense px = Pixelsense.open(Pixelsense.loader(System::getenv).parse("bench.yaml", yaml),
                    System::getenv)) {
                DescribeRequest request = new DescribeRequest("describe_screen", null, null, null, null, null);
                for (int i = 0; i < Math.max(5, runs / 5); i++) {
                    px.describe(request); // warm-up: JIT, connections
                }
                List<DescribeResult.Timings> timings = new ArrayList<>();
                List<Double> wall = new ArrayList<>();
                for (int i = 0; i < runs; i++) {
                    long t0 = System.nanoTime();
                    DescribeResult r = px.describe(request);
                    wall.add((System.nanoTime() - t0) / 1e6);
                    timings.add(r.timings());
                }
                System.out.println("| stage | median ms | p95 ms |");
                System.out.println("|---|---|---|");
                row("capture (X11 shared memory, 1920x1080)", timings, DescribeResult.Timings::captureMs);
                row("preprocess (resize to 1280, JPEG q0.85, base64)", timings, DescribeResult.Timings::preprocessMs);
                row("model call to the instant upstream (JSON + loopback HTTP)", timings,
                        DescribeResult.Timings::modelMs);
                row("overhead without the model (capture + preprocess)", timings,
                        t -> t.captureMs() + t.preprocessMs());
                row("whole describe call, measured by the caller", wall);
                List<Double> anchor = anchor(Math.max(5, runs / 4));
                row("anchor: Robot capture + PNG + base64 at full size", anchor);
                double ours = median(timings.stream().map(t -> t.captureMs() + t.preprocessMs()).toList());
                System.out.printf(Locale.ROOT, "%nratio (median, overhead without the model / anchor): %.3f%n",
                        ours / median(anchor));
            }
        }
    }

    private static List<Double> anchor(int runs) throws Exception {
        Robot robot = new Robot();
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < runs + 2; i++) {
            long t0 = System.nanoTime();
            BufferedImage shot = robot.createScreenCapture(new Rectangle(0, 0, 1920, 1080));
            String b64 = Base64.getEncoder().encodeToString(ImageEncoder.encode(shot, ImageEncoder.Format.PNG, 1f));
            if (i >= 2 && !b64.isEmpty()) { // the first two warm up
                out.add((System.nanoTime() - t0) / 1e6);
            }
        }
        return out;
    }

    private static void row(String name, List<DescribeResult.Timings> t, ToDoubleFunction<DescribeResult.Timings> f) {
        row(name, t.stream().map(f::applyAsDouble).toList());
    }

    private static void row(String name, List<Double> v) {
        List<Double> sorted = v.stream().sorted().toList();
        System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f |%n", name, median(v),
                sorted.get(Math.max(0, (int) Math.ceil(0.95 * sorted.size()) - 1)));
    }

    private static double median(List<Double> v) {
        List<Double> sorted = v.stream().sorted().toList();
        return sorted.get(Math.max(0, (int) Math.ceil(0.5 * sorted.size()) - 1));
    }
}
