package dev.pixelsense.testing;

import java.awt.Color;
import java.awt.Font;
import java.awt.Frame;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.Robot;
import java.awt.RenderingHints;

/**
 * A test program (run in its own JVM on a test display): an undecorated window at {@code x,y,w,h}
 * showing lines of dark text on white, 22 px SansSerif, one line every 40 px from y + 40. Prints
 * READY once the window is on screen.
 */
public final class TextWindow {
    public static final int SIZE = 22;
    public static final int FIRST_BASELINE = 40;
    public static final int LINE_STEP = 40;
    public static final int LEFT = 30;

    private TextWindow() {
    }

    public static void main(String[] args) throws Exception {
        String[] v = args[0].split(",");
        int x = Integer.parseInt(v[0]);
        int y = Integer.parseInt(v[1]);
        int w = Integer.parseInt(v[2]);
        int h = Integer.parseInt(v[3]);
        Frame frame = new Frame() {
            @Override
            public void paint(Graphics g) {
                Graphics2D g2 = (Graphics2D) g;
                g2.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
                g2.setColor(Color.WHITE);
                g2.fillRect(0, 0, w, h);
                g2.setColor(new Color(0x20, 0x20, 0x20));
                g2.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, SIZE));
                for (int i = 1; i < args.length; i++) {
                    g2.drawString(args[i], LEFT, FIRST_BASELINE + (i - 1) * LINE_STEP);
                }
            }
        };
        frame.setUndecorated(true);
        frame.setBounds(x, y, w, h);
        frame.setVisible(true);
        Robot robot = new Robot();
        for (int i = 0; i < 500; i++) {
            frame.repaint();
            robot.waitForIdle();
            if ((robot.getPixelColor(x + w - 2, y + h - 2).getRGB() & 0xFFFFFF) == 0xFFFFFF) {
                Thread.sleep(300);
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
