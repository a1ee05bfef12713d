package dev.pixelsense.vision.ocr;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Screen-like images drawn with Java2D, with the place of every line taken from the font's metrics:
 * panels (columns) of text lines in several fonts and sizes, dark-on-light and light-on-dark, so
 * OCR results can be compared with what was drawn.
 */
final class TextScene {
    /**
     * A drawn line: its text, font, the box FontMetrics gives (from the pen position, advance width
     * wide, from the ascent line to the descent line), and the pixels the glyphs actually cover.
     */
    record Drawn(String text, String font, int size, boolean dark, int x, int top, int width, int height, int baseline,
                 Rectangle ink) {
        int right() {
            return x + width;
        }

        int bottom() {
            return top + height;
        }
    }

    enum Theme {
        LIGHT(new Color(0xF5F5F5), new Color(0x202020)), DARK(new Color(0x1E1E1E), new Color(0xE8E8E8));

        final Color background;
        final Color text;

        Theme(Color background, Color text) {
            this.background = background;
            this.text = text;
        }
    }

    static final String[] PHRASES = {
        "File Edit View Window Help", "Save changes before closing?", "Downloads", "Settings and privacy",
        "Last updated at 12:45 PM", "Open recent project", "Search the documentation", "Cancel", "Apply",
        "Network connection restored", "Battery 87% remaining", "New message from Alice", "Export as PDF",
        "Show hidden files", "Build succeeded in 4.2 seconds", "Terminal", "Quarterly revenue report",
        "Install updates tonight", "Zoom level 125%", "Remove from favorites", "Copy link address",
        "Meeting starts in 15 minutes", "Storage almost full", "Sort by date modified", "Keyboard shortcuts",
        "Welcome back, Jordan", "Total: 3 items selected", "Check spelling while typing", "Print preview",
        "Restart to finish installing", "Version 2.7.1 is available", "Share with your team",
        "Dark mode", "Sign out", "Recently closed tabs", "Music playlist for Friday", "Wireless display",
        "Upload failed: file too large", "Merge pull request", "Today's weather forecast",
    };

    private final BufferedImage image;
    private final Graphics2D g;
    private final List<Drawn> drawn = new ArrayList<>();

    TextScene(int width, int height, Theme theme) {
        this(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), null, width, height, theme);
    }

    /** Draws on {@code image}, or (image null) on {@code target}, e.g. a window's Graphics. */
    private TextScene(BufferedImage image, Graphics2D target, int width, int height, Theme theme) {
        this.image = image;
        g = image != null ? image.createGraphics() : target;
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_OFF);
        fill(0, 0, width, height, theme);
    }

    void fill(int x, int y, int width, int height, Theme theme) {
        g.setColor(theme.background);
        g.fillRect(x, y, width, height);
    }

    /** Draws a line with its top (ascent line) at {@code top}; returns what was drawn. */
    Drawn text(String text, String font, int size, int x, int top, Theme theme) {
        Font f = new Font(font, Font.PLAIN, size);
        g.setFont(f);
        g.setColor(theme.text);
        FontMetrics fm = g.getFontMetrics();
        int baseline = top + fm.getAscent();
        g.drawString(text, x, baseline);
        Rectangle ink = f.createGlyphVector(g.getFontRenderContext(), text).getPixelBounds(g.getFontRenderContext(),
                x, baseline);
        Drawn d = new Drawn(text, font, size, theme == Theme.DARK, x, top, fm.stringWidth(text),
                fm.getAscent() + fm.getDescent(), baseline, ink);
        drawn.add(d);
        return d;
    }

    /**
     * Columns of lines, {@code columnWidth} apart, phrases picked with {@code seed}; a line is
     * {@code 1.5 x size} below the previous one (UI line spacing), and a column ends where the next
     * line would not fit.
     */
    TextScene columns(int x, int y, int width, int height, int columns, String font, int[] sizes, Theme theme,
                      long seed) {
        fill(x, y, width, height, theme);
        Random random = new Random(seed);
        int columnWidth = width / columns;
        for (int c = 0; c < columns; c++) {
            int top = y + 12;
            for (int i = 0; ; i++) {
                int size = sizes[(i + c) % sizes.length];
                int lineHeight = (int) Math.ceil(size * 1.5);
                if (top + lineHeight > y + height - 8) {
                    break;
                }
                String phrase = PHRASES[random.nextInt(PHRASES.length)];
                FontMetrics fm = g.getFontMetrics(new Font(font, Font.PLAIN, size));
                while (fm.stringWidth(phrase) > columnWidth - 40 && phrase.contains(" ")) {
                    phrase = phrase.substring(0, phrase.lastIndexOf(' '));
                }
                if (fm.stringWidth(phrase) <= columnWidth - 40) {
                    text(phrase, font, size, x + c * columnWidth + 16, top, theme);
                }
                top += lineHeight + size / 4;
            }
        }
        return this;
    }

    /** 1280x720 of three columns of lines in one font, 12 to 32 px, phrases chosen by font and theme. */
    static TextScene columns(String font, Theme theme) {
        return columns(new TextScene(1280, 720, theme), font, theme);
    }

    /** The same scene drawn on {@code g} (a window's Graphics: the text goes through the window system). */
    static TextScene columns(Graphics2D g, String font, Theme theme) {
        return columns(new TextScene(null, g, 1280, 720, theme), font, theme);
    }

    private static TextScene columns(TextScene scene, String font, Theme theme) {
        return scene.columns(0, 0, 1280, 720, 3, font, new int[] {12, 14, 16, 20, 24, 32},
                theme, (font + theme).hashCode());
    }

    /**
     * A 1920x1080 screen-like scene: a light sidebar (Dialog 14 px), a dark editor (Monospaced
     * 14-16 px), a light document (Serif 12-24 px) and a light panel (SansSerif 12-20 px) beside
     * each other, with a title bar (SansSerif 20 px).
     */
    static TextScene screen1080() {
        TextScene s = new TextScene(1920, 1080, Theme.LIGHT);
        s.text("Project overview - Quarterly revenue report", "SansSerif", 20, 700, 8, Theme.LIGHT);
        s.columns(0, 40, 360, 1040, 1, "Dialog", new int[] {14}, Theme.LIGHT, 1);
        s.columns(360, 40, 620, 1040, 1, "Monospaced", new int[] {14, 16}, Theme.DARK, 2);
        s.columns(980, 40, 520, 1040, 1, "Serif", new int[] {12, 16, 20, 24}, Theme.LIGHT, 3);
        s.columns(1500, 40, 420, 1040, 1, "SansSerif", new int[] {12, 14, 16, 20}, Theme.LIGHT, 4);
        return s;
    }

    BufferedImage image() {
        return image;
    }

    List<Drawn> drawn() {
        return List.copyOf(drawn);
    }
}
