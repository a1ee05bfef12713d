package dev.pixelsense.vision.ocr;

import java.awt.Frame;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.Robot;

/**
 * A test program (its own JVM, DISPLAY set): one undecorated 1280x720 window per argument
 * {@code FONT:THEME:X:Y}, each painting {@link TextScene#columns(Graphics2D, String, TextScene.Theme)}
 * with the window's own Graphics, so the text is rendered through the X server as an application's
 * would be. Prints READY once every window shows its scene.
 */
public final class SceneWindow {
    private SceneWindow() {
    }

    public static void main(String[] args) throws Exception {
        Robot robot = new Robot();
        for (String arg : args) {
            String[] v = arg.split(":");
            String font = v[0];
            TextScene.Theme theme = TextScene.Theme.valueOf(v[1]);
            int x = Integer.parseInt(v[2]);
            int y = Integer.parseInt(v[3]);
            Frame frame = new Frame() {
                @Override
                public void paint(Graphics g) {
                    TextScene.columns((Graphics2D) g, font, theme);
                }
            };
            frame.setUndecorated(true);
            frame.setBounds(x, y, 1280, 720);
            frame.setVisible(true);
            // the scene fills the window with the theme's background: wait until its corner shows it
            int expected = theme.background.getRGB() & 0xFFFFFF;
            for (int i = 0; (robot.getPixelColor(x + 1279, y + 719).getRGB() & 0xFFFFFF) != expected; i++) {
                if (i == 500) {
                    System.out.println("NOT DRAWN " + arg);
                    System.exit(1);
                }
                frame.repaint();
                robot.waitForIdle();
                Thread.sleep(20);
            }
        }
        Thread.sleep(300);
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
