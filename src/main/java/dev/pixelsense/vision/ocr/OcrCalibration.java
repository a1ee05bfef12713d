package dev.pixelsense.vision.ocr;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Text the quantizer calibrates on, drawn here with Java2D so nothing has to be shipped or
 * downloaded: lines of the kinds a screen shows (menus, code, numbers, paths, sentences) in the
 * logical fonts at UI sizes, dark on light and light on dark, with subpixel and grey
 * anti-aliasing. The same every run on a given machine (its fonts decide the exact pixels).
 */
final class OcrCalibration {
    private static final String[] LINES = {
        "File  Edit  View  Selection  Go  Run  Terminal  Help",
        "private static int parse(String value) throws IOException {",
        "Total 1,284.90 EUR  (VAT 19%: 205.15)  due 2026-12-01",
        "https://pixelsense.dev/docs/ocr?lang=en#quantization",
        "The meeting moved to Thursday at 4:30 pm, room B-214.",
        "src/main/java/dev/pixelsense/vision/ocr/TextDetector.java",
        "ERROR [worker-3] connection refused (retry 2 of 5)",
        "Cancel   Apply   OK   Save as...   Don't save",
        "for (int i = 0; i < n; i++) { sum += a[i] * b[i]; }",
        "CPU 37%  RAM 6.2/15.5 GB  Disk 81%  Net 1.4 MB/s",
        "Wi-Fi: HomeNetwork_5G  Battery 64%  12:07  Mon 23 Nov",
        "Quick brown foxes JUMP over lazy dogs; 0123456789 @#$&*",
        "git commit -m \"Fold the affine blocks into the Conv\"",
        "Name          Size     Modified        Type",
        "[x] Remember me   [ ] Stay signed in   Forgot password?",
        "Résumé, naïve café: ÄÖÜ äöü ß (UTF-8) - €5 / £4 / ¥600",
    };
    private static final String[] FONTS = {Font.SANS_SERIF, Font.MONOSPACED, Font.SERIF, Font.DIALOG};
    private static final int[] SIZES = {12, 14, 16, 20};

    private OcrCalibration() {
    }

    /** A drawn line and the box around its glyphs, as detection would give it. */
    record Line(OcrImage image, RotatedBox box) {
    }

    /** 2 x 16 lines: each text once light and once dark, fonts and sizes varied between them. */
    static List<Line> lines() {
        List<Line> lines = new ArrayList<>();
        for (int i = 0; i < 2 * LINES.length; i++) {
            boolean dark = i % 2 == 1;
            String text = LINES[i / 2];
            Font font = new Font(FONTS[i % FONTS.length], i % 3 == 0 ? Font.BOLD : Font.PLAIN, SIZES[(i / 2) % SIZES.length]);
            lines.add(line(text, font, dark, i % 4 < 2));
        }
        return lines;
    }

    /** Two 960x544 screens (light, dark) of all the lines in several fonts and sizes, for the detector. */
    static List<OcrImage> screens() {
        List<OcrImage> screens = new ArrayList<>();
        for (boolean dark : new boolean[] {false, true}) {
            BufferedImage image = new BufferedImage(960, 544, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            g.setColor(dark ? new Color(0x1E1F22) : new Color(0xFAFAFA));
            g.fillRect(0, 0, 960, 544);
            g.setColor(dark ? new Color(0x2B2D30) : new Color(0xE8EAED));
            g.fillRect(0, 0, 960, 28); // a title bar
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_LCD_HRGB);
            int y = 20;
            for (int i = 0; i < LINES.length && y < 530; i++) {
                Font font = new Font(FONTS[i % FONTS.length], Font.PLAIN, 12 + (i * 5) % 14);
                g.setFont(font);
                g.setColor(dark ? new Color(0xBCBEC4) : new Color(0x202124));
                g.drawString(LINES[i], 8 + (i % 3) * 24, y);
                y += g.getFontMetrics().getHeight() + 8;
            }
            g.dispose();
            screens.add(OcrImage.of(image));
        }
        return screens;
    }

    private static Line line(String text, Font font, boolean dark, boolean subpixel) {
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D p = probe.createGraphics();
        FontMetrics fm = p.getFontMetrics(font);
        p.dispose();
        int pad = 12, w = fm.stringWidth(text) + 2 * pad, h = fm.getHeight() + 2 * pad;
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        // pure black and white in half the lines: the input's whole range is seen
        g.setColor(dark ? new Color(subpixel ? 0x1E1F22 : 0x000000) : new Color(subpixel ? 0xFAFAFA : 0xFFFFFF));
        g.fillRect(0, 0, w, h);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, subpixel
                ? RenderingHints.VALUE_TEXT_ANTIALIAS_LCD_HRGB : RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(dark ? new Color(subpixel ? 0xBCBEC4 : 0xFFFFFF) : new Color(subpixel ? 0x202124 : 0x000000));
        g.setFont(font);
        int baseline = pad + fm.getAscent();
        g.drawString(text, pad, baseline);
        g.dispose();
        int top = baseline - fm.getAscent(), bottom = baseline + fm.getDescent();
        RotatedBox box = new RotatedBox(pad + fm.stringWidth(text) / 2.0, (top + bottom) / 2.0, 1, 0,
                fm.stringWidth(text), bottom - top);
        return new Line(OcrImage.of(image), box);
    }
}
