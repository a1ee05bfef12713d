package dev.pixelsense.screen;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.pixelsense.error.BadRequestException;
import dev.pixelsense.error.UnavailableException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Input on X11 through the XTest extension: the X server treats the faked events as if they came
 * from its own mouse and keyboard (so they reach any window, grabs and focus rules included). It
 * owns its own Xlib connection, never shared with a {@link Screen}.
 */
final class XTestDevice implements InputDevice {
    private final X11 x = X11.get();
    private final XTest t = XTest.get();
    private final String displayName;
    private final MemorySegment display;
    private final long root;
    private final Rect desktop;
    private final X11Keyboard keyboard;
    private final X11Monitors monitors;
    /** keycodes we hold down, so an explicit shift is not released by a character that needed one */
    private final Set<Integer> down = new HashSet<>();
    private boolean closed;

    private XTestDevice(String displayName, MemorySegment display) {
        this.displayName = displayName;
        this.display = display;
        this.root = x.root(display);
        this.desktop = x.desktop(display);
        this.keyboard = new X11Keyboard(display);
        this.monitors = X11Monitors.open(display, displayName);
    }

    /**
     * @throws UnavailableException when the display cannot be opened
     * @throws IllegalStateException when libXtst is missing or the server has no XTest extension
     */
    static XTestDevice open(String displayName) {
        XTest t = XTest.get();
        MemorySegment display = X11.get().open(displayName);
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment out = temp.allocate(JAVA_INT, 4);
            int present = (int) t.queryExtension.invokeExact(display, out, out.asSlice(4), out.asSlice(8),
                    out.asSlice(12));
            if (present == 0) {
                int ignored = (int) X11.get().closeDisplay.invokeExact(display);
                throw new IllegalStateException("the X server on " + displayName + " has no XTEST extension");
            }
            X11.get().trapErrors(display);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw Screens.unexpected(e);
        }
        try {
            return new XTestDevice(displayName, display);
        } catch (RuntimeException e) {
            X11.get().untrap(display);
            try {
                int ignored = (int) X11.get().closeDisplay.invokeExact(display);
            } catch (Throwable suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    @Override
    public String name() {
        return "xtest";
    }

    @Override
    public Rect desktop() {
        return desktop;
    }

    @Override
    public List<Monitor> monitors() {
        return monitors.list();
    }

    @Override
    public int[] pointer() {
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment windows = temp.allocate(16);
            MemorySegment xy = temp.allocate(JAVA_INT, 5);
            int ignored = (int) t.queryPointer.invokeExact(display, root, windows, windows.asSlice(8), xy,
                    xy.asSlice(4), xy.asSlice(8), xy.asSlice(12), xy.asSlice(16));
            return new int[] {xy.get(JAVA_INT, 0), xy.get(JAVA_INT, 4)};
        } catch (Throwable e) {
            throw Screens.unexpected(e);
        }
    }

    @Override
    public void moveTo(int px, int py) {
        try {
            // screen -1: the current screen, which under Xinerama is the whole desktop
            int ignored = (int) t.fakeMotion.invokeExact(display, -1, px, py, XTest.NOW);
        } catch (Throwable e) {
            throw Screens.unexpected(e);
        }
    }

    @Override
    public void button(Button button, boolean press) {
        fakeButton(button.x11, press);
    }

    @Override
    public void wheel(int dx, int dy) {
        // X has no wheel events: each notch is a click of button 4 (up), 5 (down), 6 (left) or 7 (right)
        for (int i = 0; i < Math.abs(dy); i++) {
            fakeButton(dy > 0 ? 5 : 4, true);
            fakeButton(dy > 0 ? 5 : 4, false);
        }
        for (int i = 0; i < Math.abs(dx); i++) {
            fakeButton(dx > 0 ? 7 : 6, true);
            fakeButton(dx > 0 ? 7 : 6, false);
        }
    }

    private void fakeButton(int number, boolean press) {
        try {
            int ignored = (int) t.fakeButton.invokeExact(display, number, press ? 1 : 0, XTest.NOW);
        } catch (Throwable e) {
            throw Screens.unexpected(e);
        }
    }

    @Override
    public void checkKey(String key) {
        keysym(key);
    }

    private long keysym(String key) {
        Keys.Named named = Keys.named(key);
        long sym;
        if (named != null) {
            sym = keyboard.keysym(named.x11());
        } else if (key.codePointCount(0, key.length()) == 1) {
            sym = Keys.keysymOf(key.codePointAt(0));
        } else {
            sym = keyboard.keysym(key);
        }
        if (sym <= 0) {
            throw new BadRequestException("Unknown key '" + key + "'; use a name such as ctrl, shift, alt, super,"
                    + " enter, tab, esc, f5, a single character, or an X keysym name (XF86AudioMute)", "keys");
        }
        return sym;
    }

    @Override
    public void key(String key, boolean press) {
        keyboard.refresh();
        strike(keyboard.stroke(keysym(key)), press);
    }

    @Override
    public void type(String text) {
        keyboard.refresh();
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '\r' && i < text.length() && text.charAt(i) == '\n') {
                continue; // CR LF is one Enter
            }
            long sym = Keys.keysymOf(cp);
            if (sym < 0) {
                throw new BadRequestException(String.format("Cannot type the control character U+%04X", cp), "text");
            }
            X11Keyboard.Stroke s = keyboard.stroke(sym);
            strike(s, true);
            strike(s, false);
            // out of Xlib's buffer now: a rebind's grace period counts from when the server got the press
            xflush();
        }
    }

    /** Presses or releases a key, adding shift around it when its level needs one and shift is not held. */
    private void strike(X11Keyboard.Stroke s, boolean press) {
        X11Keyboard.Stroke shift = s.shift() ? keyboard.shift() : null;
        boolean addShift = shift != null && !down.contains(shift.keycode());
        if (press) {
            if (addShift) {
                fakeKey(shift.keycode(), true);
            }
            fakeKey(s.keycode(), true);
            down.add(s.keycode());
        } else {
            fakeKey(s.keycode(), false);
            down.remove(s.keycode());
            if (addShift) {
                fakeKey(shift.keycode(), false);
            }
        }
    }

    private void fakeKey(int keycode, boolean press) {
        try {
            int ignored = (int) t.fakeKey.invokeExact(display, keycode, press ? 1 : 0, XTest.NOW);
        } catch (Throwable e) {
            throw Screens.unexpected(e);
        }
    }

    private void xflush() {
        try {
            int ignored = (int) t.flush.invokeExact(display);
        } catch (Throwable e) {
            throw Screens.unexpected(e);
        }
    }

    @Override
    public void flush() {
        try {
            int ignored = (int) x.sync.invokeExact(display, 0);
        } catch (Throwable e) {
            throw Screens.unexpected(e);
        }
        int error = x.takeError(display);
        if (error != 0) {
            throw new UnavailableException("The X server on " + displayName + " refused an input event (X error "
                    + error + ")");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            keyboard.close();
            int synced = (int) x.sync.invokeExact(display, 0);
            int ignored = (int) x.closeDisplay.invokeExact(display);
        } catch (Throwable e) {
            throw Screens.unexpected(e);
        } finally {
            x.untrap(display);
        }
    }
}
