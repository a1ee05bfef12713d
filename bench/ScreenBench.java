import dev.pixelsense.screen.Frame;
import dev.pixelsense.screen.FrameUpdate;
import dev.pixelsense.screen.Screen;
import dev.pixelsense.screen.Target;
import dev.pixelsense.vision.ImageEncoder;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Capture ms/frame on the display in $DISPLAY (one Xvfb screen of the size under test).
 * Prints one markdown table row per measurement: | size | what | median ms | p90 ms | note |.
 * Run by bench/screen, which starts the Xvfb and compiles this file against target/pixelsense.jar.
 */
public class ScreenBench {
    public static void main(String[] args) {
        String size = args[0];
        int shmFrames = Integer.parseInt(args[1]);
        int robotFrames = Integer.parseInt(args[2]);
        boolean encodings = args.length > 3 && args[3].equals("encodings");
        try (Screen shm = Screen.open(null, Screen.Backend.X11_SHM);
                Screen robot = Screen.open(null, Screen.Backend.ROBOT)) {
            Target all = Target.desktop();
            row(size, "x11-shm capture (new int[] per frame)", shmFrames, () -> shm.capture(all), "");
            Frame[] last = {shm.capture(all)};
            row(size, "x11-shm capture (recycled int[])", shmFrames, () -> last[0] = shm.capture(all, last[0]), "");
            row(size, "x11-shm read in place (no copy)", shmFrames, () -> shm.read(all, v -> v.rgb(0, 0)), "");
            row(size, "robot capture", robotFrames, () -> robot.capture(all), "");
            changes(shm, size, shmFrames);
            int[] bytes = {0};
            row(size, "x11-shm capture + downscale to 1280 + JPEG q0.85", Math.max(20, shmFrames / 5), () -> {
                Frame f = shm.capture(all).scaledToMaxEdge(1280);
                bytes[0] = ImageEncoder.encode(f.toImage(), ImageEncoder.Format.JPEG, 0.85f).length;
                return f;
            }, () -> bytes[0] / 1024 + " KiB");
            if (encodings) {
                // a blank Xvfb compresses to nothing: encode a screen-like image (text on a light background)
                Frame frame = Frame.of(synthetic(1920, 1080), new dev.pixelsense.screen.Rect(0, 0, 1920, 1080));
                BufferedImage image = frame.toImage();
                for (float q : new float[] {0.75f, 0.85f, 0.95f}) {
                    row(size, "encode JPEG q" + q, 20, () -> bytes[0] = ImageEncoder.encode(image,
                            ImageEncoder.Format.JPEG, q).length, () -> bytes[0] / 1024 + " KiB");
                }
                row(size, "encode PNG (deflate level 1)", 10, () -> bytes[0] = ImageEncoder.encode(image,
                        ImageEncoder.Format.PNG, 0).length, () -> bytes[0] / 1024 + " KiB");
                row(size, "encode PNG (ImageIO default)", 10, () -> {
                    var out = new java.io.ByteArrayOutputStream();
                    try {
                        javax.imageio.ImageIO.write(image, "png", out);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    return bytes[0] = out.size();
                }, () -> bytes[0] / 1024 + " KiB");
                row(size, "downscale to 1280 only", 20, () -> frame.scaledToMaxEdge(1280), "");
            }
        }
    }

    /**
     * captureChanges in a loop while a window redraws an area of a given size before each frame
     * (drawing not timed; Toolkit.sync makes sure the X server has done it before the capture).
     * These are not full captures: only the redrawn area is read, and the note says so.
     */
    private static void changes(Screen shm, String size, int frames) {
        String[] wh = size.split("x");
        int w = Integer.parseInt(wh[0]);
        int h = Integer.parseInt(wh[1]);
        java.awt.Frame window = new java.awt.Frame();
        window.setUndecorated(true);
        window.setBounds(0, 0, w, h);
        window.setVisible(true);
        try {
            java.awt.Robot idle = new java.awt.Robot();
            idle.waitForIdle();
            Thread.sleep(300);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        Target all = Target.desktop();
        FrameUpdate[] last = {shm.captureChanges(all, null)};
        Supplier<Object> refresh = () -> {
            last[0] = shm.captureChanges(all, last[0].frame());
            if (last[0].full()) {
                throw new IllegalStateException("a full read in the changes loop: the bench would mislabel it");
            }
            return last[0];
        };
        row(size, "x11-shm captureChanges, nothing redrawn", frames, () -> {}, refresh,
                () -> "partial: " + last[0].fetched().size() + " areas read");
        int[] areas = {200, 100, 800, 600, w, h};
        for (int i = 0; i < areas.length; i += 2) {
            int aw = areas[i];
            int ah = areas[i + 1];
            int[] step = {0};
            Runnable draw = () -> {
                java.awt.Graphics g = window.getGraphics();
                g.setColor((step[0]++ & 1) == 0 ? java.awt.Color.RED : java.awt.Color.BLUE);
                g.fillRect((w - aw) / 2, (h - ah) / 2, aw, ah);
                g.dispose();
                java.awt.Toolkit.getDefaultToolkit().sync();
            };
            row(size, "x11-shm captureChanges, " + aw + "x" + ah + " redrawn per frame", frames, draw, refresh,
                    () -> "partial: " + last[0].fetched().size() + " area(s) read, " + last[0].changedPixels()
                            + " px changed");
        }
        window.dispose();
    }

    private static BufferedImage synthetic(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING, java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(new java.awt.Color(0xF5F5F5));
        g.fillRect(0, 0, w, h);
        g.setColor(new java.awt.Color(0x2B579A));
        g.fillRect(0, 0, w, 40);
        g.setColor(java.awt.Color.DARK_GRAY);
        g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 14));
        for (int y = 60, i = 0; y < h; y += 18, i++) {
            g.drawString("Line " + i + ": the quick brown fox jumps over the lazy dog 0123456789", 20 + (i % 7) * 40, y);
        }
        g.dispose();
        return img;
    }

    private static void row(String size, String what, int frames, Supplier<Object> op, String note) {
        row(size, what, frames, op, () -> note);
    }

    private static void row(String size, String what, int frames, Supplier<Object> op, Supplier<String> note) {
        row(size, what, frames, () -> {}, op, note);
    }

    /** Times {@code op} only; {@code before} runs ahead of each call, untimed. */
    private static void row(String size, String what, int frames, Runnable before, Supplier<Object> op,
            Supplier<String> note) {
        int warmup = Math.max(5, frames / 5);
        for (int i = 0; i < warmup; i++) {
            before.run();
            op.get();
        }
        long[] ns = new long[frames];
        for (int i = 0; i < frames; i++) {
            before.run();
            long t0 = System.nanoTime();
            op.get();
            ns[i] = System.nanoTime() - t0;
        }
        Arrays.sort(ns);
        System.out.printf("| %s | %s | %.2f | %.2f | %s |%n", size, what, ns[frames / 2] / 1e6, ns[frames * 9 / 10] / 1e6,
                note.get());
    }
}
