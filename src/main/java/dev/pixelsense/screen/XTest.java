package dev.pixelsense.screen;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * The XTest (libXtst) calls that fake input, and the Xlib keyboard-mapping and pointer calls that
 * go with them, bound once through the FFM API. Loading fails with {@link IllegalStateException}
 * naming the missing library; the caller falls back to Robot then.
 */
final class XTest {
    /** {@code CurrentTime}: XTest events are sent with no delay. */
    static final long NOW = 0L;
    static final long NO_SYMBOL = 0L;

    private static volatile XTest instance;

    final MethodHandle queryExtension;
    final MethodHandle fakeMotion;
    final MethodHandle fakeButton;
    final MethodHandle fakeKey;
    final MethodHandle displayKeycodes;
    final MethodHandle getKeyboardMapping;
    final MethodHandle changeKeyboardMapping;
    final MethodHandle stringToKeysym;
    final MethodHandle queryPointer;
    final MethodHandle flush;

    private XTest() {
        SymbolLookup x11 = X11.library("libX11.so.6", "libx11-6");
        SymbolLookup xtst = X11.library("libXtst.so.6", "libxtst6");
        // Bool XTestQueryExtension(Display*, int *event_base, int *error_base, int *major, int *minor)
        queryExtension = X11.bind(xtst, "XTestQueryExtension", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
        // int XTestFakeMotionEvent(Display*, int screen, int x, int y, unsigned long delay)
        fakeMotion = X11.bind(xtst, "XTestFakeMotionEvent", JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG);
        // int XTestFakeButtonEvent(Display*, unsigned int button, Bool is_press, unsigned long delay)
        fakeButton = X11.bind(xtst, "XTestFakeButtonEvent", JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_LONG);
        // int XTestFakeKeyEvent(Display*, unsigned int keycode, Bool is_press, unsigned long delay)
        fakeKey = X11.bind(xtst, "XTestFakeKeyEvent", JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_LONG);
        displayKeycodes = X11.bind(x11, "XDisplayKeycodes", JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
        // KeySym *XGetKeyboardMapping(Display*, KeyCode first, int count, int *keysyms_per_keycode)
        getKeyboardMapping = X11.bind(x11, "XGetKeyboardMapping", ADDRESS, ADDRESS, JAVA_BYTE, JAVA_INT, ADDRESS);
        // int XChangeKeyboardMapping(Display*, int first, int keysyms_per_keycode, KeySym *keysyms, int count)
        changeKeyboardMapping = X11.bind(x11, "XChangeKeyboardMapping", JAVA_INT,
                ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
        flush = X11.bind(x11, "XFlush", JAVA_INT, ADDRESS);
        stringToKeysym = X11.bind(x11, "XStringToKeysym", JAVA_LONG, ADDRESS);
        // Bool XQueryPointer(Display*, Window, Window *root, Window *child, int *root_x, int *root_y,
        //                    int *win_x, int *win_y, unsigned int *mask)
        queryPointer = X11.bind(x11, "XQueryPointer", JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, ADDRESS,
                ADDRESS, ADDRESS, ADDRESS);
    }

    /** The bindings, loaded on first use. */
    static XTest get() {
        XTest t = instance;
        if (t == null) {
            synchronized (XTest.class) {
                t = instance;
                if (t == null) {
                    t = new XTest();
                    instance = t;
                }
            }
        }
        return t;
    }
}
