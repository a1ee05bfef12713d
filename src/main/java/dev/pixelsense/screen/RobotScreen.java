package dev.pixelsense.screen;

import dev.pixelsense.error.UnavailableException;
import java.awt.AWTException;
import java.awt.GraphicsConfiguration;
import java.awt.GraphicsDevice;
import java.awt.GraphicsEnvironment;
import java.awt.Image;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.image.BufferedImage;
import java.awt.image.MultiResolutionImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Capture through {@code java.awt.Robot}: works wherever AWT has a display (remote X displays,
 * macOS, Windows) but costs a full server round trip with the pixels on the socket (13.6 ms at
 * 1080p on Xvfb, against about 1 ms for shared memory). On scaled displays it asks for the
 * multi-resolution capture and keeps the largest variant: physical pixels, never a silent
 * downscale.
 *
 * <p>Threading: calls are serialized on this object.
 */
final class RobotScreen implements Screen {
    private final Robot robot;
    private boolean closed;

    private RobotScreen(Robot robot) {
        this.robot = robot;
    }

    static RobotScreen open() {
        return new RobotScreen(robot());
    }

    /** A Robot, or an error saying why there cannot be one (shared with {@link RobotDevice}). */
    static Robot robot() {
        if (GraphicsEnvironment.isHeadless()) {
            throw new UnavailableException("The JVM runs headless (java.awt.headless=true or no display), so"
                    + " java.awt.Robot cannot work; remove -Djava.awt.headless=true and run with a display");
        }
        try {
            return new Robot();
        } catch (AWTException | SecurityException e) {
            throw new UnavailableException("java.awt.Robot is not available: " + e.getMessage(), e);
        }
    }

    @Override
    public String backend() {
        return "robot";
    }

    @Override
    public synchronized List<Monitor> monitors() {
        checkOpen();
        return awtMonitors();
    }

    /** The monitors as AWT sees them (shared with {@link RobotDevice}). */
    static List<Monitor> awtMonitors() {
        GraphicsEnvironment ge = GraphicsEnvironment.getLocalGraphicsEnvironment();
        GraphicsDevice primary = ge.getDefaultScreenDevice();
        GraphicsDevice[] devices = ge.getScreenDevices();
        List<Monitor> monitors = new ArrayList<>(devices.length);
        for (int i = 0; i < devices.length; i++) {
            GraphicsConfiguration gc = devices[i].getDefaultConfiguration();
            Rectangle b = gc.getBounds();
            double scale = gc.getDefaultTransform().getScaleX();
            monitors.add(new Monitor(i, devices[i].getIDstring(), new Rect(b.x, b.y, b.width, b.height), scale,
                    devices[i] == primary, scale));
        }
        return List.copyOf(monitors);
    }

    @Override
    public synchronized Frame capture(Target target, Frame recycle) {
        checkOpen();
        List<Monitor> monitors = monitors();
        Rect desktop = monitors.stream().map(Monitor::bounds).reduce(Rect::union).orElseThrow();
        Rect r = Screens.resolve(target, desktop, () -> monitors);
        Rectangle area = new Rectangle(r.x(), r.y(), r.width(), r.height());
        boolean scaled = monitors.stream().anyMatch(m -> m.scale() != 1.0);
        BufferedImage image;
        if (scaled) {
            MultiResolutionImage multi = robot.createMultiResolutionScreenCapture(area);
            Image largest = multi.getResolutionVariants().getLast();
            image = largest instanceof BufferedImage b ? b : toBuffered(largest);
        } else {
            image = robot.createScreenCapture(area);
        }
        return Frame.of(image, r);
    }

    private static BufferedImage toBuffered(Image image) {
        BufferedImage out = new BufferedImage(image.getWidth(null), image.getHeight(null), BufferedImage.TYPE_INT_RGB);
        out.createGraphics().drawImage(image, 0, 0, null);
        return out;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("screen is closed");
        }
    }

    @Override
    public synchronized void close() {
        closed = true; // Robot holds no resource of its own; AWT's connection lives as long as the JVM
    }
}
