package dev.pixelsense.screen;

import java.awt.event.KeyEvent;
import java.util.HashMap;
import java.util.Map;

/**
 * The named keys of {@link KeyCombo}, with what each is called on each platform: its X11 keysym
 * name and its {@code java.awt.event.KeyEvent} virtual key code (for Robot). One table, so the
 * backends cannot drift apart.
 */
final class Keys {
    /** A named key: its X11 keysym name and AWT virtual key code. */
    record Named(String x11, int vk) {}

    private static final Map<String, Named> NAMED = new HashMap<>();

    static {
        add("ctrl", "Control_L", KeyEvent.VK_CONTROL);
        add("shift", "Shift_L", KeyEvent.VK_SHIFT);
        add("alt", "Alt_L", KeyEvent.VK_ALT);
        add("altgr", "ISO_Level3_Shift", KeyEvent.VK_ALT_GRAPH);
        // Robot on macOS turns VK_WINDOWS into VK_META: see RobotDevice
        add("super", "Super_L", KeyEvent.VK_WINDOWS);
        add("enter", "Return", KeyEvent.VK_ENTER);
        add("tab", "Tab", KeyEvent.VK_TAB);
        add("esc", "Escape", KeyEvent.VK_ESCAPE);
        add("space", "space", KeyEvent.VK_SPACE);
        add("backspace", "BackSpace", KeyEvent.VK_BACK_SPACE);
        add("delete", "Delete", KeyEvent.VK_DELETE);
        add("insert", "Insert", KeyEvent.VK_INSERT);
        add("home", "Home", KeyEvent.VK_HOME);
        add("end", "End", KeyEvent.VK_END);
        add("pageup", "Prior", KeyEvent.VK_PAGE_UP);
        add("pagedown", "Next", KeyEvent.VK_PAGE_DOWN);
        add("up", "Up", KeyEvent.VK_UP);
        add("down", "Down", KeyEvent.VK_DOWN);
        add("left", "Left", KeyEvent.VK_LEFT);
        add("right", "Right", KeyEvent.VK_RIGHT);
        add("capslock", "Caps_Lock", KeyEvent.VK_CAPS_LOCK);
        add("printscreen", "Print", KeyEvent.VK_PRINTSCREEN);
        add("menu", "Menu", KeyEvent.VK_CONTEXT_MENU);
        add("plus", "plus", KeyEvent.VK_PLUS);
        add("minus", "minus", KeyEvent.VK_MINUS);
        for (int i = 1; i <= 12; i++) {
            add("f" + i, "F" + i, KeyEvent.VK_F1 + i - 1);
        }
        for (int i = 13; i <= 24; i++) {
            add("f" + i, "F" + i, KeyEvent.VK_F13 + i - 13);
        }
    }

    private Keys() {}

    private static void add(String name, String x11, int vk) {
        NAMED.put(name, new Named(x11, vk));
    }

    static boolean isNamed(String canonical) {
        return NAMED.containsKey(canonical);
    }

    /** The named key, or null for single characters and platform-specific names. */
    static Named named(String canonical) {
        return NAMED.get(canonical);
    }

    /**
     * The X11 keysym of a character (Xlib's convention): Latin-1 characters are their own keysym,
     * everything else is {@code 0x01000000 + code point}; newline and tab are Return and Tab.
     * Returns -1 for other control characters, which no key types.
     */
    static long keysymOf(int codePoint) {
        if (codePoint == '\n' || codePoint == '\r') {
            return 0xFF0DL; // Return
        }
        if (codePoint == '\t') {
            return 0xFF09L; // Tab
        }
        if (Character.isISOControl(codePoint)) {
            return -1;
        }
        if (codePoint >= 0x20 && codePoint <= 0x7E || codePoint >= 0xA0 && codePoint <= 0xFF) {
            return codePoint;
        }
        return 0x01000000L + codePoint;
    }
}
