package dev.pixelsense.testing;

import java.awt.Color;
import java.awt.Frame;
import java.awt.Graphics;
import java.awt.Robot;
import java.awt.image.BufferedImage;

/**
 * Run in a child JVM with DISPLAY set: shows an undecorated window over {@code x,y,w,h} painted with
 * {@link #expected}, waits until Robot sees it on screen, prints READY, then stays until killed.
 * Each pixel's colour encodes its own desktop coordinates, so any offset in a capture shows up.
 */
public final class PatternWindow {
    /** The colour drawn at desktop (x, y): 12 bits of x and y spread over the three channels. */
    public static int expected(int x, int y) {
        return ((x & 0xFF) << 16) | ((y & 0xFF) << 8) | (((x >> 8) & 0xF) << 4) | ((y >> 8) & 0xF);
    }

    public static void main(String[] args) throws Exception {
        String[] v = args[0].split(",");
        int x = Integer.parseInt(v[0]);
        int y = Integer.parseInt(v[1]);
        int w = Integer.parseInt(v[2]);
        int h = Integer.parseInt(v[3]);
        BufferedImage pattern = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int j = 0; j < h; j++) {
            for (int i = 0; i < w; i++) {
                pattern.setRGB(i, j, expected(x + i, y + j));
            }
        }
        Frame frame = new Frame() {
            @Override
            public void paint(Graphics g) {
                g.drawImage(pattern, 0, 0, null);
            }
        };
        frame.setUndecorated(true);
        frame.setBackground(Color.BLACK);
        frame.setBounds(x, y, w, h);
        frame.setVisible(true);
        Robot robot = new Robot();
        int cx = x + w - 1;
        int cy = y + h - 1;
        for (int i = 0; i < 500; i++) {
            frame.repaint();
            robot.waitForIdle();
            if ((robot.getPixelColor(cx, cy).getRGB() & 0xFFFFFF) == expected(cx, cy)
                    && (robot.getPixelColor(x, y).getRGB() & 0xFFFFFF) == expected(x, y)) {
                System.out.println("READY");
                System.out.flush();
                Thread.sleep(Long.MAX_VALUE);
            }
            Thread.sleep(20);
        }
        System.out.println("NOT DRAWN");
        System.exit(1);
    }
}
