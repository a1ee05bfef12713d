package dev.pixelsense.screen;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.pixelsense.error.BadRequestException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which key to press for a keysym, on one X connection. A keysym on the first or second level of
 * some keycode in the core keyboard map is pressed there (with shift for the second). A keysym
 * the map lacks (é on a US layout, ✓, 日) is bound to a <em>spare</em> keycode, one with no
 * symbols at all, through {@code XChangeKeyboardMapping}, and pressed there: every X client
 * turns a key into text through the map, so this types any character into any application.
 *
 * <p>Why remapping and not a clipboard paste: it needs no paste shortcut (which differs between a
 * terminal and a text field), keeps the clipboard and the order of keystrokes intact, and works
 * under Xvfb with no clipboard manager; a paste, by contrast, is fetched asynchronously by the
 * application, so the clipboard cannot be restored until it has been, and an X selection dies
 * with the process that owns it (a CLI run).
 *
 * <p>The race to avoid: a client reads the new mapping only when it handles the MappingNotify,
 * which may be after we changed the keycode again. So a bound keycode stays bound (repeated
 * characters, later calls) until this keyboard is closed; a keycode is rebound only when all
 * spares are taken (least recently used first) and not before {@link #GRACE_NANOS} after its last
 * press, and close waits as long before unbinding.
 *
 * <p>Not thread-safe: used under its {@link XTestDevice}'s lock.
 */
final class X11Keyboard {
    static final long GRACE_NANOS = 150_000_000L;
    private static final int SHIFT_L = 0xFFE1;

    /** A keycode and whether shift must be held for the keysym. */
    record Stroke(int keycode, boolean shift) {}

    private final XTest t = XTest.get();
    private final MemorySegment display;
    // shared: an Input may be opened on one thread and used on another (its calls are serialized)
    private final Arena arena = Arena.ofShared();
    private final MemorySegment ints;
    private final int min;
    private final int max;
    private int perCode;
    private long[] map = new long[0];
    /** keysym -> keycode we bound it to, least recently used first */
    private final LinkedHashMap<Long, Integer> bound = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<Integer, Long> lastPress = new LinkedHashMap<>();
    private long lastBoundPress;

    X11Keyboard(MemorySegment display) {
        this.display = display;
        ints = arena.allocate(JAVA_INT, 2);
        try {
            int ignored = (int) t.displayKeycodes.invokeExact(display, ints, ints.asSlice(4));
        } catch (Throwable e) {
            throw Screens.unexpected(e);
        }
        min = ints.get(JAVA_INT, 0);
        max = ints.get(JAVA_INT, 4);
    }

    /** Re-reads the core keyboard map: another client may have changed it since the last call. */
    void refresh() {
        try {
            MemorySegment syms = (MemorySegment) t.getKeyboardMapping.invokeExact(display, (byte) min, max - min + 1,
                    ints);
            if (syms.equals(MemorySegment.NULL)) {
                throw new IllegalStateException("XGetKeyboardMapping failed");
            }
            perCode = ints.get(JAVA_INT, 0);
            long n = (long) (max - min + 1) * perCode;
            map = syms.reinterpret(n * 8).toArray(JAVA_LONG);
            int ignored = (int) X11.get().free.invokeExact(syms);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw Screens.unexpected(e);
        }
    }

    /** The keysym named {@code name} ({@code Return}, {@code XF86AudioMute}), or 0. */
    long keysym(String name) {
        try (Arena temp = Arena.ofConfined()) {
            return (long) t.stringToKeysym.invokeExact(temp.allocateFrom(name));
        } catch (Throwable e) {
            throw Screens.unexpected(e);
        }
    }

    Stroke shift() {
        return stroke(SHIFT_L);
    }

    /** The key for {@code keysym}, binding a spare keycode when the map has none. */
    Stroke stroke(long keysym) {
        Integer ours = bound.get(keysym);
        if (ours != null) {
            return used(new Stroke(ours, false));
        }
        for (int level = 0; level < Math.min(2, perCode); level++) {
            for (int code = min; code <= max; code++) {
                if (map[(code - min) * perCode + level] == keysym) {
                    return new Stroke(code, level == 1);
                }
            }
        }
        return used(new Stroke(bind(keysym), false));
    }

    private Stroke used(Stroke s) {
        long now = System.nanoTime();
        lastPress.put(s.keycode(), now);
        lastBoundPress = now;
        return s;
    }

    private int bind(long keysym) {
        int code = spare();
        if (code < 0) {
            Iterator<Map.Entry<Long, Integer>> oldest = bound.entrySet().iterator();
            if (!oldest.hasNext()) {
                throw new BadRequestException("Cannot type keysym 0x" + Long.toHexString(keysym) + ": the X keyboard"
                        + " map has no spare keycode to bind it to", "text");
            }
            code = oldest.next().getValue();
            oldest.remove();
            sleepUntil(lastPress.getOrDefault(code, 0L) + GRACE_NANOS);
        }
        change(code, keysym);
        bound.put(keysym, code);
        return code;
    }

    /** A keycode with no symbols that we have not bound yet, highest first, or -1. */
    private int spare() {
        for (int code = max; code > min; code--) {
            if (!bound.containsValue(code) && empty(code)) {
                return code;
            }
        }
        return -1;
    }

    private boolean empty(int code) {
        for (int level = 0; level < perCode; level++) {
            if (map[(code - min) * perCode + level] != XTest.NO_SYMBOL) {
                return false;
            }
        }
        return true;
    }

    /** Sets keycode {@code code} to {@code keysym} on both levels (so a held shift changes nothing), or clears it. */
    private void change(int code, long keysym) {
        try {
            MemorySegment syms = arena.allocate(JAVA_LONG, 2);
            syms.setAtIndex(JAVA_LONG, 0, keysym);
            syms.setAtIndex(JAVA_LONG, 1, keysym);
            int ignored = (int) t.changeKeyboardMapping.invokeExact(display, code, 2, syms, 1);
        } catch (Throwable e) {
            throw Screens.unexpected(e);
        }
        for (int level = 0; level < perCode; level++) {
            map[(code - min) * perCode + level] = level < 2 ? keysym : XTest.NO_SYMBOL;
        }
    }

    /** Unbinds every keycode we bound, once clients have had time to read the mapping (see the class comment). */
    void close() {
        if (!bound.isEmpty()) {
            sleepUntil(lastBoundPress + GRACE_NANOS);
            List<Integer> codes = new ArrayList<>(bound.values());
            bound.clear();
            for (int code : codes) {
                change(code, XTest.NO_SYMBOL);
            }
        }
        arena.close();
    }

    private static void sleepUntil(long deadline) {
        long wait = deadline - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
