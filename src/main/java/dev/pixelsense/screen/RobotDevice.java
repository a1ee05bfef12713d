package dev.pixelsense.screen;

import dev.pixelsense.error.BadRequestException;
import java.awt.EventQueue;
import java.awt.MouseInfo;
import java.awt.Robot;
import java.awt.event.InputEvent;
import java.awt.event.KeyEvent;
import java.util.List;

/**
 * Input through {@code java.awt.Robot}, where XTest is missing (macOS, Windows, an X server
 * without the extension). Robot presses virtual keys, not characters, so {@link #type} presses
 * keys only for plain text (letters, digits, space, newline, tab) and pastes anything else
 * through the clipboard ({@link ClipboardPaste}, which puts the previous contents back).
 * Horizontal scrolling is sent as shift + wheel, which Swing, GTK and browsers read as horizontal.
 */
final class RobotDevice implements InputDevice {
    private final Robot robot;
    private final boolean mac = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("mac");

    private RobotDevice(Robot robot) {
        this.robot = robot;
    }

    static RobotDevice open() {
        return new RobotDevice(RobotScreen.robot());
    }

    @Override
    public String name() {
        return "robot";
    }

    @Override
    public Rect desktop() {
        return monitors().stream().map(Monitor::bounds).reduce(Rect::union).orElseThrow();
    }

    @Override
    public List<Monitor> monitors() {
        return RobotScreen.awtMonitors();
    }

    @Override
    public int[] pointer() {
        java.awt.Point p = MouseInfo.getPointerInfo().getLocation();
        return new int[] {p.x, p.y};
    }

    @Override
    public void moveTo(int x, int y) {
        robot.mouseMove(x, y);
    }

    @Override
    public void button(Button button, boolean down) {
        int mask = InputEvent.getMaskForButton(button.x11);
        if (down) {
            robot.mousePress(mask);
        } else {
            robot.mouseRelease(mask);
        }
    }

    @Override
    public void wheel(int dx, int dy) {
        if (dy != 0) {
            robot.mouseWheel(dy);
        }
        if (dx != 0) {
            robot.keyPress(KeyEvent.VK_SHIFT);
            try {
                robot.mouseWheel(dx);
            } finally {
                robot.keyRelease(KeyEvent.VK_SHIFT);
            }
        }
    }

    @Override
    public void checkKey(String key) {
        vk(key);
    }

    private int vk(String key) {
        Keys.Named named = Keys.named(key);
        int vk;
        if (named != null) {
            vk = mac && named.vk() == KeyEvent.VK_WINDOWS ? KeyEvent.VK_META : named.vk();
        } else if (key.codePointCount(0, key.length()) == 1) {
            vk = KeyEvent.getExtendedKeyCodeForChar(key.codePointAt(0));
        } else {
            vk = KeyEvent.VK_UNDEFINED;
        }
        if (vk == KeyEvent.VK_UNDEFINED) {
            throw new BadRequestException("Unknown key '" + key + "' for the robot input backend; use a name such as"
                    + " ctrl, shift, alt, super, enter, tab, esc, f5 or a letter or digit", "keys");
        }
        return vk;
    }

    @Override
    public void key(String key, boolean down) {
        int vk = vk(key);
        try {
            if (down) {
                robot.keyPress(vk);
            } else {
                robot.keyRelease(vk);
            }
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("The key '" + key + "' cannot be pressed on this keyboard layout", "keys");
        }
    }

    @Override
    public void type(String text) {
        if (!text.chars().allMatch(RobotDevice::plain)) {
            // one paste for the whole text: keystrokes sent after a paste may overtake it
            new ClipboardPaste(robot, mac).paste(text);
            return;
        }
        for (char c : text.toCharArray()) {
            int vk = c == '\n' ? KeyEvent.VK_ENTER : c == '\t' ? KeyEvent.VK_TAB
                    : KeyEvent.getExtendedKeyCodeForChar(Character.toLowerCase(c));
            boolean shift = Character.isUpperCase(c);
            if (shift) {
                robot.keyPress(KeyEvent.VK_SHIFT);
            }
            robot.keyPress(vk);
            robot.keyRelease(vk);
            if (shift) {
                robot.keyRelease(KeyEvent.VK_SHIFT);
            }
        }
    }

    /** Characters a virtual key types the same on every layout Robot is likely to meet. */
    private static boolean plain(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == ' ' || c == '\n'
                || c == '\t';
    }

    @Override
    public void flush() {
        if (!EventQueue.isDispatchThread()) {
            robot.waitForIdle();
        }
    }

    @Override
    public void close() {
        // Robot holds no resource of its own; AWT's connection lives as long as the JVM
    }
}
