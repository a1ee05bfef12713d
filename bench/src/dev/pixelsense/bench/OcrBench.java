package dev.pixelsense.bench;

import ai.onnxruntime.OrtEnvironment;
import dev.pixelsense.Pixelsense;
import dev.pixelsense.vision.ocr.Ocr;
import dev.pixelsense.vision.ocr.OcrModels;
import dev.pixelsense.vision.ocr.OcrOptions;
import dev.pixelsense.vision.ocr.OcrResult;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * OCR latency (issue 6): pixelsense's PP-OCRv4 against the tesseract CLI on the same screenshot
 * lookalike ({@link Screenshot}: an IDE window with a sidebar, code, a table and a taskbar) at
 * 1920x1080 and its top-left 1280x720. pixelsense is timed in process after two warm-up runs
 * (models loaded once, as a server does), detection and recognition separately; tesseract per
 * process, as its CLI runs. Both are scored by the share of drawn words found in their output.
 *
 * <p>Arguments: CONFIG (its store holds ppocr-v4) WORK_DIR REPS MAX_SIDES (e.g. 1920,1280)
 * TESSERACT (true/false) COMMAND. The Markdown report goes to stdout.
 */
public final class OcrBench {
    private record Image(String name, BufferedImage pixels, List<String> words) {
    }

    private record Row(String image, String engine, int lines, int found, int words, double detection,
                       double recognition, double total, double best, double cpu, double allocatedMb) {
    }

    public static void main(String[] args) throws Exception {
        Path config = Path.of(args[0]);
        Path work = Path.of(args[1]);
        int reps = Integer.parseInt(args[2]);
        int[] maxSides = Arrays.stream(args[3].split(",")).mapToInt(Integer::parseInt).toArray();
        boolean tesseract = Boolean.parseBoolean(args[4]);
        String command = args[5];
        List<OcrOptions.Int8> int8 = Arrays.stream((args.length > 6 ? args[6] : "RECOGNIZER").split(","))
                .map(OcrOptions.Int8::valueOf).toList();
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();

        Screenshot.Rendered shot = Screenshot.render();
        List<Image> images = List.of(crop(shot, 1280, 720), crop(shot, 1920, 1080));
        List<Row> rows = new ArrayList<>();
        OcrModels models;
        try (Pixelsense px = Pixelsense.open(config)) {
            models = OcrModels.fromStore(px.store());
        }
        for (OcrOptions.Int8 variant : int8) {
            for (int maxSide : maxSides) {
                // the recognition cache off: every run reads every line, as for a screen never seen before
                try (Ocr ocr = Ocr.open(models, OcrOptions.defaults().withMaxSide(maxSide).withCacheSize(0)
                        .withInt8(variant))) {
                    for (Image image : images) {
                        rows.add(pixelsense(ocr, image, reps, "pixelsense PP-OCRv4, int8 " + variant + ", max side "
                                + maxSide));
                    }
                }
            }
        }
        // the same screen again with the cache on (default): nothing is detected or recognized again
        try (Ocr ocr = Ocr.open(models, OcrOptions.defaults().withMaxSide(maxSides[0]).withInt8(int8.getFirst()))) {
            for (Image image : images) {
                rows.add(pixelsense(ocr, image, reps, "pixelsense, int8 " + int8.getFirst() + ", max side " + maxSides[0]
                        + ", the same image again (nothing changed: the previous boxes, lines from the recognition "
                        + "cache)"));
            }
        }
        // a notification comes and goes between calls (the cache on): only the rows around it are detected again
        try (Ocr ocr = Ocr.open(models, OcrOptions.defaults().withMaxSide(maxSides[0]).withInt8(int8.getFirst()))) {
            for (Image image : images) {
                rows.add(alternating(ocr, image, withNotice(image.pixels()), reps, "pixelsense, int8 " + int8.getFirst()
                        + ", max side " + maxSides[0] + ", a notification (440x60) shown and hidden between calls"));
            }
        }
        if (tesseract) {
            for (Image image : images) {
                rows.add(tesseract(image, work, reps));
            }
        }
        report(rows, command, reps, loadBefore, Files.readString(Path.of("/proc/loadavg")).trim(), tesseract);
    }

    /** The top-left {@code w x h} of the screenshot and the words of the strings drawn wholly inside it. */
    private static Image crop(Screenshot.Rendered shot, int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        image.createGraphics().drawImage(shot.image(), 0, 0, null);
        List<String> words = new ArrayList<>();
        for (Screenshot.Text t : shot.texts()) {
            if (t.x() + t.width() <= w && t.baseline() + 4 <= h) {
                words.addAll(words(t.text()));
            }
        }
        return new Image(w + "x" + h, image, words);
    }

    private static Row pixelsense(Ocr ocr, Image image, int reps, String engine) {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int i = 0; i < 2; i++) {
            ocr.recognize(image.pixels());
        }
        double[] det = new double[reps], rec = new double[reps], total = new double[reps];
        long cpu = os.getProcessCpuTime();
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocated = threads.getTotalThreadAllocatedBytes();
        OcrResult last = null;
        for (int i = 0; i < reps; i++) {
            long start = System.nanoTime();
            last = ocr.recognize(image.pixels());
            total[i] = (System.nanoTime() - start) / 1e6;
            det[i] = last.detection().toNanos() / 1e6;
            rec[i] = last.recognition().toNanos() / 1e6;
            System.err.printf(Locale.ROOT, "bench: %s %s: detection %.0f ms, recognition %.0f ms%n", image.name(),
                    engine, det[i], rec[i]);
        }
        double cpuSeconds = (os.getProcessCpuTime() - cpu) / 1e9 / reps;
        double allocatedMb = (threads.getTotalThreadAllocatedBytes() - allocated) / 1e6 / reps;
        return new Row(image.name(), engine, last.lines().size(), found(image.words(), words(last.text())),
                image.words().size(), median(det), median(rec), median(total), Arrays.stream(total).min().orElse(0),
                cpuSeconds, allocatedMb);
    }

    /** {@code image} with a notification drawn over its middle. */
    private static BufferedImage withNotice(BufferedImage image) {
        BufferedImage copy = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = copy.createGraphics();
        g.drawImage(image, 0, 0, null);
        int x = image.getWidth() / 2 - 220, y = image.getHeight() / 2 - 30;
        g.setColor(new java.awt.Color(0xF4F4F4));
        g.fillRect(x, y, 440, 60);
        g.setColor(new java.awt.Color(0x202020));
        g.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING, java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new java.awt.Font("Dialog", java.awt.Font.PLAIN, 16));
        g.drawString("Deployment finished at 14:32", x + 16, y + 36);
        g.dispose();
        return copy;
    }

    /** Calls on {@code image} and {@code changed} in turn; the words are counted on the last call, on {@code image}. */
    private static Row alternating(Ocr ocr, Image image, BufferedImage changed, int reps, String engine) {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 2; i++) { // ending on image: the first timed call sees a change
            ocr.recognize(changed);
            ocr.recognize(image.pixels());
        }
        int calls = 2 * reps;
        double[] det = new double[calls], rec = new double[calls], total = new double[calls];
        long cpu = os.getProcessCpuTime();
        long allocated = threads.getTotalThreadAllocatedBytes();
        OcrResult last = null;
        for (int i = 0; i < calls; i++) {
            long start = System.nanoTime();
            last = ocr.recognize(i % 2 == 0 ? changed : image.pixels());
            total[i] = (System.nanoTime() - start) / 1e6;
            det[i] = last.detection().toNanos() / 1e6;
            rec[i] = last.recognition().toNanos() / 1e6;
        }
        return new Row(image.name(), engine, last.lines().size(), found(image.words(), words(last.text())),
                image.words().size(), median(det), median(rec), median(total), Arrays.stream(total).min().orElse(0),
                (os.getProcessCpuTime() - cpu) / 1e9 / calls,
                (threads.getTotalThreadAllocatedBytes() - allocated) / 1e6 / calls);
    }

    private static Row tesseract(Image image, Path work, int reps) throws IOException, InterruptedException {
        Path png = work.resolve("ocr-" + image.name() + ".png");
        ImageIO.write(image.pixels(), "png", png.toFile());
        double[] total = new double[reps];
        double cpu = 0;
        String text = "";
        Path out = work.resolve("tesseract-" + image.name());
        for (int i = 0; i < reps; i++) {
            // bash's time gives the CPU the tesseract process used; Java cannot see a child's rusage
            Process p = new ProcessBuilder("bash", "-c", "TIMEFORMAT='%R %U %S'; { time tesseract \"$0\" \"$1\" "
                    + ">/dev/null 2>&1; } 2>&1", png.toString(), out.toString()).start();
            String[] times = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip().split(" ");
            if (p.waitFor() != 0 || times.length != 3) {
                throw new IllegalStateException("tesseract failed on " + png + ": " + String.join(" ", times));
            }
            total[i] = Double.parseDouble(times[0]) * 1000;
            cpu += Double.parseDouble(times[1]) + Double.parseDouble(times[2]);
            System.err.printf(Locale.ROOT, "bench: %s tesseract: %.0f ms%n", image.name(), total[i]);
        }
        text = Files.readString(Path.of(out + ".txt"));
        int lines = (int) text.lines().filter(l -> !l.isBlank()).count();
        return new Row(image.name(), "tesseract " + tesseractVersion() + " (CLI, eng)", lines,
                found(image.words(), words(text)), image.words().size(), Double.NaN, Double.NaN, median(total),
                Arrays.stream(total).min().orElse(0), cpu / reps, Double.NaN);
    }

    private static String tesseractVersion() throws IOException {
        Process p = new ProcessBuilder("tesseract", "--version").redirectErrorStream(true).start();
        String first = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElse("");
        return first.replace("tesseract ", "").strip();
    }

    static List<String> words(String text) {
        String n = Normalizer.normalize(text, Normalizer.Form.NFKC).strip();
        return n.isEmpty() ? List.of() : List.of(n.split("\\s+"));
    }

    /** Drawn words found in the output, each output word used at most once. */
    static int found(List<String> drawn, List<String> read) {
        Map<String, Integer> available = new HashMap<>();
        read.forEach(w -> available.merge(w, 1, Integer::sum));
        int found = 0;
        for (String w : drawn) {
            if (available.getOrDefault(w, 0) > 0) {
                available.merge(w, -1, Integer::sum);
                found++;
            }
        }
        return found;
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static void report(List<Row> rows, String command, int reps, String loadBefore, String loadAfter,
                               boolean tesseract) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("## OCR latency (").append(command).append(")\n\n");
        md.append("- Date: ").append(ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z")))
                .append(". Cores: ").append(Runtime.getRuntime().availableProcessors()).append(". Java ")
                .append(Runtime.version()).append(", ONNX Runtime ").append(OrtEnvironment.getEnvironment().getVersion())
                .append(".\n");
        md.append("- Load average (1, 5, 15 min) before: ").append(loadBefore.substring(0, nth(loadBefore, ' ', 3)))
                .append("; after: ").append(loadAfter.substring(0, nth(loadAfter, ' ', 3))).append(".\n");
        md.append("- ").append(reps).append(" timed runs per row after 2 warm-up runs; medians. Image: bench's ")
                .append("IDE-like screenshot (13-15 px UI fonts, code, a table), and its top-left 1280x720.")
                .append(tesseract ? "" : " tesseract not installed: no anchor row.").append("\n\n");
        md.append("| image | engine | lines | drawn words found | detection ms | recognition ms | total ms | best ms "
                + "| CPU s per run | Java heap allocated per run, MB |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %d | %d/%d (%.0f%%) | %s | %s | **%.0f** | %.0f | %.2f | %s |%n",
                    r.image(), r.engine(), r.lines(), r.found(), r.words(), 100.0 * r.found() / r.words(),
                    Double.isNaN(r.detection()) ? "-" : String.format(Locale.ROOT, "%.0f", r.detection()),
                    Double.isNaN(r.recognition()) ? "-" : String.format(Locale.ROOT, "%.0f", r.recognition()),
                    r.total(), r.best(), r.cpu(),
                    Double.isNaN(r.allocatedMb()) ? "-" : String.format(Locale.ROOT, "%.0f", r.allocatedMb())));
        }
        System.out.print(md);
    }

    private static int nth(String s, char c, int n) {
        int i = -1;
        for (int k = 0; k < n; k++) {
            i = s.indexOf(c, i + 1);
        }
        return i < 0 ? s.length() : i;
    }
}
