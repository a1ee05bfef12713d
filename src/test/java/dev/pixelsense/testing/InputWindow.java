package dev.pixelsense.testing;

import java.awt.AWTEvent;
import java.awt.Color;
import java.awt.Graphics;
import java.awt.Robot;
import java.awt.Toolkit;
import java.awt.datatransfer.DataFlavor;
import java.awt.datatransfer.StringSelection;
import java.awt.event.InputEvent;
import java.awt.event.KeyEvent;
import java.awt.event.MouseEvent;
import java.awt.event.MouseWheelEvent;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import javax.swing.JFrame;
import javax.swing.JPanel;
import javax.swing.JTextField;
import javax.swing.SwingUtilities;
import javax.swing.Timer;

/**
 * Run in a child JVM with DISPLAY set: an undecorated Swing window over {@code x,y,w,h} with a text
 * field at {@link #FIELD_X},{@link #FIELD_Y} (desktop coordinates, the window at 0,0), that prints
 * every mouse and key event it receives as one JSON line on stdout (positions in desktop
 * coordinates), then READY once it is on screen. Commands on stdin, one per line:
 * {@code text} (prints the field's text), {@code clear}, {@code rect X Y W H RRGGBB} (fills a
 * rectangle in place of the previous one, prints {@code drawn} once it is on screen),
 * {@code animate MS} (prints {@code animationStarted} at its first step, moves a square for MS
 * milliseconds, then prints {@code animationStopped} with the wall-clock time of the last step),
 * {@code copy TEXT} (puts TEXT on the clipboard), {@code clipboard} (prints the clipboard's text).
 * Like an application, it repaints only what changed (the old and new rectangle, the animation's
 * band), so the X server reports small redrawn areas.
 */
public final class InputWindow {
    public static final int BACKGROUND = 0x202830;
    public static final int FIELD_X = 100;
    public static final int FIELD_Y = 100;
    public static final int FIELD_W = 800;
    public static final int FIELD_H = 40;
    /** Where {@code animate} moves its square: this band, left of x = 1200, y 600 to 680. */
    public static final int ANIMATION_Y = 600;
    private static final java.awt.Rectangle ANIMATION_BAND = new java.awt.Rectangle(0, ANIMATION_Y, 1200, 80);

    private static final PrintStream out = new PrintStream(System.out, true, StandardCharsets.US_ASCII);
    private static final JPanel canvas = new Canvas();
    private static JTextField field;
    private static volatile java.awt.Rectangle rect;
    private static volatile Color rectColor = Color.BLACK;
    private static volatile int squareX = -1;

    public static void main(String[] args) throws Exception {
        String[] v = args[0].split(",");
        int x = Integer.parseInt(v[0]);
        int y = Integer.parseInt(v[1]);
        int w = Integer.parseInt(v[2]);
        int h = Integer.parseInt(v[3]);
        Toolkit.getDefaultToolkit().addAWTEventListener(InputWindow::record, AWTEvent.MOUSE_EVENT_MASK
                | AWTEvent.MOUSE_MOTION_EVENT_MASK | AWTEvent.MOUSE_WHEEL_EVENT_MASK | AWTEvent.KEY_EVENT_MASK);
        SwingUtilities.invokeAndWait(() -> {
            JFrame frame = new JFrame("pixelsense input test");
            frame.setUndecorated(true);
            canvas.setLayout(null);
            canvas.setBackground(new Color(BACKGROUND));
            field = new JTextField();
            field.setBounds(FIELD_X - x, FIELD_Y - y, FIELD_W, FIELD_H);
            field.getCaret().setBlinkRate(0); // a blinking caret would keep the screen from ever being stable
            canvas.add(field);
            frame.setContentPane(canvas);
            frame.setBounds(x, y, w, h);
            frame.setVisible(true);
        });
        Robot robot = new Robot();
        awaitPixel(robot, new java.awt.Rectangle(0, 0, w, h), x + w - 1, y + h - 1, BACKGROUND);
        out.println("READY");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            command(line.strip().split(" "), robot);
        }
        System.exit(0);
    }

    private static void command(String[] c, Robot robot) throws Exception {
        switch (c[0]) {
            case "text" -> {
                robot.waitForIdle(); // every X event already sent to us is handled first
                String[] text = new String[1];
                SwingUtilities.invokeAndWait(() -> text[0] = field.getText());
                print("{\"e\":\"text\",\"value\":" + json(text[0]) + "}");
            }
            case "clear" -> {
                robot.waitForIdle();
                SwingUtilities.invokeAndWait(() -> field.setText(""));
                print("{\"e\":\"cleared\"}");
            }
            case "rect" -> {
                java.awt.Rectangle old = rect;
                rectColor = new Color(Integer.parseInt(c[5], 16));
                rect = new java.awt.Rectangle(Integer.parseInt(c[1]), Integer.parseInt(c[2]), Integer.parseInt(c[3]),
                        Integer.parseInt(c[4]));
                // only what changed, as applications repaint: capture tests count on small redrawn areas
                if (old != null) {
                    canvas.repaint(old);
                }
                canvas.repaint(rect);
                awaitPixel(robot, rect, rect.x + rect.width - 1, rect.y + rect.height - 1, rectColor.getRGB() & 0xFFFFFF);
                print("{\"e\":\"drawn\"}");
            }
            case "animate" -> animate(Long.parseLong(c[1]));
            case "copy" -> {
                Toolkit.getDefaultToolkit().getSystemClipboard().setContents(new StringSelection(c[1]), null);
                print("{\"e\":\"copied\"}");
            }
            case "clipboard" -> {
                Object value = Toolkit.getDefaultToolkit().getSystemClipboard().getData(DataFlavor.stringFlavor);
                print("{\"e\":\"clipboard\",\"value\":" + json(String.valueOf(value)) + "}");
            }
            default -> print("{\"e\":\"unknown command\"}");
        }
    }

    private static void animate(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        AtomicInteger step = new AtomicInteger();
        Timer timer = new Timer(15, null);
        timer.addActionListener(e -> {
            if (System.nanoTime() >= end) {
                timer.stop();
                long last = System.currentTimeMillis();
                squareX = -1;
                paintBand();
                print("{\"e\":\"animationStopped\",\"t\":" + last + ",\"steps\":" + step.get() + "}");
                return;
            }
            squareX = (step.incrementAndGet() * 7) % 1100;
            paintBand();
            if (step.get() == 1) {
                print("{\"e\":\"animationStarted\"}");
            }
        });
        timer.start();
    }

    /**
     * Paints the animation's band now and flushes it to the X server (we are on the EDT, in the
     * timer). A plain repaint of part of a window can sit in AWT's Xlib buffer for 100s of ms,
     * until the toolkit flushes; a whole-window repaint happened not to.
     */
    private static void paintBand() {
        canvas.paintImmediately(ANIMATION_BAND);
        Toolkit.getDefaultToolkit().sync();
    }

    private static void awaitPixel(Robot robot, java.awt.Rectangle area, int x, int y, int rgb)
            throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            canvas.repaint(area);
            robot.waitForIdle();
            if ((robot.getPixelColor(x, y).getRGB() & 0xFFFFFF) == rgb) {
                return;
            }
            Thread.sleep(20);
        }
        print("{\"e\":\"not drawn\"}");
        System.exit(1);
    }

    private static void record(AWTEvent event) {
        if (event instanceof MouseWheelEvent w) {
            print("{\"e\":\"wheel\",\"x\":" + w.getXOnScreen() + ",\"y\":" + w.getYOnScreen() + ",\"rotation\":"
                    + w.getWheelRotation() + ",\"shift\":" + w.isShiftDown() + "}");
        } else if (event instanceof MouseEvent m2) {
            String type = switch (m2.getID()) {
                case MouseEvent.MOUSE_PRESSED -> "pressed";
                case MouseEvent.MOUSE_RELEASED -> "released";
                case MouseEvent.MOUSE_CLICKED -> "clicked";
                case MouseEvent.MOUSE_MOVED -> "moved";
                case MouseEvent.MOUSE_DRAGGED -> "dragged";
                default -> null;
            };
            if (type != null) {
                print("{\"e\":\"" + type + "\",\"x\":" + m2.getXOnScreen() + ",\"y\":" + m2.getYOnScreen()
                        + ",\"button\":" + m2.getButton() + ",\"count\":" + m2.getClickCount() + ",\"mods\":"
                        + json(InputEvent.getModifiersExText(m2.getModifiersEx())) + "}");
            }
        } else if (event instanceof KeyEvent k) {
            String type = switch (k.getID()) {
                case KeyEvent.KEY_PRESSED -> "keyPressed";
                case KeyEvent.KEY_RELEASED -> "keyReleased";
                default -> "keyTyped";
            };
            print("{\"e\":\"" + type + "\",\"code\":" + k.getKeyCode() + ",\"key\":" + json(KeyEvent.getKeyText(
                    k.getKeyCode())) + ",\"char\":" + json(String.valueOf(k.getKeyChar())) + ",\"mods\":"
                    + json(InputEvent.getModifiersExText(k.getModifiersEx())) + "}");
        }
    }

    private static synchronized void print(String line) {
        out.println(line);
    }

    /** A JSON string, ASCII only (non-ASCII as \\u escapes, so the platform encoding cannot matter). */
    private static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            if (ch == '"' || ch == '\\') {
                b.append('\\').append(ch);
            } else if (ch < 0x20 || ch > 0x7E) {
                b.append(String.format("\\u%04x", (int) ch));
            } else {
                b.append(ch);
            }
        }
        return b.append('"').toString();
    }

    /** Paints the background, the rectangle of {@code rect} and the animated square. */
    private static final class Canvas extends JPanel {
        @Override
        protected void paintComponent(Graphics g) {
            super.paintComponent(g);
            java.awt.Rectangle r = rect;
            if (r != null) {
                g.setColor(rectColor);
                g.fillRect(r.x, r.y, r.width, r.height);
            }
            int sx = squareX;
            if (sx >= 0) {
                g.setColor(Color.ORANGE);
                g.fillRect(sx, ANIMATION_Y, 80, 80);
            }
        }
    }
}
