package dev.pixelsense.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * A deterministic 1920x1080 desktop screenshot lookalike, encoded as PNG: wallpaper gradient,
 * a window with title bar, toolbar, sidebar, an editor full of anti-aliased code, a table, a bar
 * chart and a taskbar. PNG size depends on content, and random noise would compress far worse
 * than any real screen, so the image imitates what a vision request would really carry.
 */
final class Screenshot {
    static final int WIDTH = 1920;
    static final int HEIGHT = 1080;
    private static final String[] WORDS = {"request", "model", "stream", "image", "config", "latency", "queue",
            "return", "final", "var", "if", "for", "new", "String", "List", "null", "true", "chunk", "send", "await"};

    /** The image and every string drawn on it, in drawing order. */
    record Rendered(BufferedImage image, List<Text> texts) {
    }

    /** A drawn string: its pen position (x, baseline) and advance width. */
    record Text(String text, int x, int baseline, int width) {
    }

    private final List<Text> texts = new ArrayList<>();

    private Screenshot() {
    }

    static byte[] png() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
        ImageIO.write(render().image(), "png", out);
        return out.toByteArray();
    }

    static Rendered render() {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_LCD_HRGB);
        Random random = new Random(42);
        Screenshot s = new Screenshot();
        wallpaper(g);
        s.window(g, 120, 70, 1680, 900, random);
        s.taskbar(g);
        g.dispose();
        return new Rendered(image, List.copyOf(s.texts));
    }

    private void text(Graphics2D g, String text, int x, int y) {
        g.drawString(text, x, y);
        texts.add(new Text(text, x, y, g.getFontMetrics().stringWidth(text)));
    }

    private static void wallpaper(Graphics2D g) {
        g.setPaint(new GradientPaint(0, 0, new Color(32, 58, 96), WIDTH, HEIGHT, new Color(120, 72, 140)));
        g.fillRect(0, 0, WIDTH, HEIGHT);
    }

    private void window(Graphics2D g, int x, int y, int w, int h, Random random) {
        g.setColor(new Color(0, 0, 0, 70));
        g.fillRoundRect(x + 6, y + 8, w, h, 14, 14);
        g.setColor(new Color(248, 248, 250));
        g.fillRoundRect(x, y, w, h, 12, 12);
        g.setPaint(new GradientPaint(x, y, new Color(226, 230, 236), x, y + 36, new Color(206, 211, 219)));
        g.fillRect(x, y, w, 36);
        Color[] dots = {new Color(237, 94, 86), new Color(245, 190, 64), new Color(98, 197, 84)};
        for (int i = 0; i < dots.length; i++) {
            g.setColor(dots[i]);
            g.fillOval(x + 14 + i * 22, y + 11, 14, 14);
        }
        g.setColor(new Color(60, 60, 66));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        text(g, "GatewayBench.java - pixelsense - Editor", x + w / 2 - 150, y + 24);
        toolbar(g, x, y + 36, w, random);
        sidebar(g, x, y + 80, 260, h - 80, random);
        editor(g, x + 260, y + 80, 900, h - 80, random);
        table(g, x + 1160, y + 80, w - 1160, 420, random);
        chart(g, x + 1160, y + 500, w - 1160, h - 500, random);
    }

    private void toolbar(Graphics2D g, int x, int y, int w, Random random) {
        g.setColor(new Color(238, 240, 244));
        g.fillRect(x, y, w, 44);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        String[] labels = {"File", "Edit", "View", "Navigate", "Code", "Refactor", "Build", "Run", "Tools", "Help"};
        for (int i = 0; i < labels.length; i++) {
            int bx = x + 12 + i * 86;
            g.setColor(i == 7 ? new Color(66, 133, 244) : new Color(255, 255, 255));
            g.fillRoundRect(bx, y + 8, 76, 28, 8, 8);
            g.setColor(i == 7 ? Color.WHITE : new Color(50, 50, 56));
            text(g, labels[i], bx + 14, y + 27);
        }
        g.setColor(Color.WHITE);
        g.fillRoundRect(x + w - 320, y + 8, 300, 28, 14, 14);
        g.setColor(new Color(150, 150, 158));
        text(g, "Search everywhere (" + random.nextInt(9) + " results)", x + w - 304, y + 27);
    }

    private void sidebar(Graphics2D g, int x, int y, int w, int h, Random random) {
        g.setColor(new Color(241, 243, 247));
        g.fillRect(x, y, w, h);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        for (int i = 0; i * 26 < h - 30; i++) {
            int depth = random.nextInt(4);
            if (i == 5) {
                g.setColor(new Color(210, 225, 250));
                g.fillRect(x, y + 8 + i * 26, w, 26);
            }
            g.setColor(depth == 0 ? new Color(230, 170, 60) : new Color(110, 150, 210));
            g.fillRect(x + 14 + depth * 16, y + 14 + i * 26, 14, 12);
            g.setColor(new Color(40, 40, 46));
            text(g, word(random) + (depth == 0 ? "" : "_" + word(random) + ".java"), x + 36 + depth * 16,
                    y + 26 + i * 26);
        }
    }

    private void editor(Graphics2D g, int x, int y, int w, int h, Random random) {
        g.setColor(new Color(30, 31, 36));
        g.fillRect(x, y, w, h);
        g.setFont(new Font(Font.MONOSPACED, Font.PLAIN, 14));
        Color[] syntax = {new Color(204, 120, 50), new Color(169, 183, 198), new Color(106, 135, 89),
                new Color(152, 118, 170), new Color(104, 151, 187)};
        for (int line = 0; line * 19 < h - 24; line++) {
            int ty = y + 20 + line * 19;
            g.setColor(new Color(96, 99, 108));
            text(g, String.format("%3d", line + 1), x + 8, ty);
            int tx = x + 56 + 28 * random.nextInt(4);
            int tokens = random.nextInt(9);
            for (int t = 0; t < tokens && tx < x + w - 60; t++) {
                String token = word(random) + (random.nextInt(5) == 0 ? "(" : random.nextInt(4) == 0 ? ";" : "");
                g.setColor(syntax[random.nextInt(syntax.length)]);
                text(g, token, tx, ty);
                tx += g.getFontMetrics().stringWidth(token) + 8;
            }
        }
    }

    private void table(Graphics2D g, int x, int y, int w, int h, Random random) {
        g.setColor(Color.WHITE);
        g.fillRect(x, y, w, h);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.setColor(new Color(230, 233, 238));
        g.fillRect(x, y, w, 30);
        String[] heads = {"Model", "Requests", "p50 ms", "p99 ms"};
        g.setColor(new Color(50, 50, 56));
        for (int c = 0; c < heads.length; c++) {
            text(g, heads[c], x + 14 + c * (w / 4), y + 20);
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        for (int r = 0; r * 28 + 58 < h; r++) {
            int ry = y + 30 + r * 28;
            g.setColor(r % 2 == 0 ? Color.WHITE : new Color(246, 247, 250));
            g.fillRect(x, ry, w, 28);
            g.setColor(new Color(45, 45, 50));
            text(g, word(random) + "-" + (random.nextInt(70) + 1) + "b", x + 14, ry + 19);
            text(g, Integer.toString(random.nextInt(100_000)), x + 14 + w / 4, ry + 19);
            text(g, String.format("%.1f", random.nextDouble() * 40), x + 14 + w / 2, ry + 19);
            text(g, String.format("%.1f", 40 + random.nextDouble() * 400), x + 14 + 3 * w / 4, ry + 19);
        }
    }

    private static void chart(Graphics2D g, int x, int y, int w, int h, Random random) {
        g.setColor(new Color(252, 252, 253));
        g.fillRect(x, y, w, h);
        g.setColor(new Color(225, 228, 234));
        g.setStroke(new BasicStroke(1));
        for (int i = 1; i < 6; i++) {
            g.drawLine(x + 40, y + i * h / 6, x + w - 20, y + i * h / 6);
        }
        int bars = 14;
        int bw = (w - 80) / bars;
        for (int i = 0; i < bars; i++) {
            int bh = 20 + random.nextInt(h - 80);
            int bx = x + 50 + i * bw;
            g.setPaint(new GradientPaint(bx, y + h - 30 - bh, new Color(90, 160, 250), bx, y + h - 30,
                    new Color(40, 90, 200)));
            g.fillRect(bx, y + h - 30 - bh, bw - 8, bh);
        }
    }

    private void taskbar(Graphics2D g) {
        g.setPaint(new GradientPaint(0, HEIGHT - 48, new Color(40, 42, 50), 0, HEIGHT, new Color(22, 23, 28)));
        g.fillRect(0, HEIGHT - 48, WIDTH, 48);
        for (int i = 0; i < 9; i++) {
            g.setColor(Color.getHSBColor(i / 9f, 0.55f, 0.9f));
            g.fillRoundRect(20 + i * 52, HEIGHT - 40, 36, 32, 8, 8);
        }
        g.setColor(new Color(225, 225, 230));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        text(g, "14:32   2025-06-12", WIDTH - 170, HEIGHT - 18);
    }

    private static String word(Random random) {
        return WORDS[random.nextInt(WORDS.length)];
    }
}
