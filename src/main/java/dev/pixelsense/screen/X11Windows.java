package dev.pixelsense.screen;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Window titles on X11, for the agent's deny list: the window under a point and the one with the
 * keyboard focus. Titles come from {@code _NET_WM_NAME} (UTF-8, set by every current toolkit),
 * else {@code WM_NAME}. A window manager reparents clients into unnamed frames, so an unnamed
 * window is searched two levels down for a named one; a focused child (toolkits focus inner
 * windows) is followed up to its named ancestor.
 *
 * <p>Callers hold their display's lock and have its errors trapped ({@link X11#trapErrors}): a
 * window can vanish between two calls, and its BadWindow must not end the process.
 */
final class X11Windows {
    private static final long NONE = 0;
    private static final long POINTER_ROOT = 1;
    private static final long ANY_PROPERTY_TYPE = 0;
    private static volatile X11Windows instance;

    private final MethodHandle translateCoordinates;
    private final MethodHandle queryTree;
    private final MethodHandle getInputFocus;
    private final MethodHandle internAtom;
    private final MethodHandle getWindowProperty;
    private final MethodHandle fetchName;
    private final MethodHandle free;

    private X11Windows() {
        SymbolLookup x11 = X11.library("libX11.so.6", "libx11-6");
        // Bool XTranslateCoordinates(Display*, Window src, Window dest, int x, int y, int*, int*, Window* child)
        translateCoordinates = X11.bind(x11, "XTranslateCoordinates", JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG,
                JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
        // Status XQueryTree(Display*, Window, Window* root, Window* parent, Window** children, unsigned* n)
        queryTree = X11.bind(x11, "XQueryTree", JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
        // int XGetInputFocus(Display*, Window* focus, int* revert_to)
        getInputFocus = X11.bind(x11, "XGetInputFocus", JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
        internAtom = X11.bind(x11, "XInternAtom", JAVA_LONG, ADDRESS, ADDRESS, JAVA_INT);
        // int XGetWindowProperty(Display*, Window, Atom, long offset, long length, Bool delete, Atom type,
        //     Atom* actual_type, int* actual_format, unsigned long* nitems, unsigned long* after, unsigned char** prop)
        getWindowProperty = X11.bind(x11, "XGetWindowProperty", JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG,
                JAVA_LONG, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
        // Status XFetchName(Display*, Window, char** name): the caller XFrees the name
        fetchName = X11.bind(x11, "XFetchName", JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS);
        free = X11.bind(x11, "XFree", JAVA_INT, ADDRESS);
    }

    static X11Windows get() {
        X11Windows w = instance;
        if (w == null) {
            synchronized (X11Windows.class) {
                w = instance;
                if (w == null) {
                    w = new X11Windows();
                    instance = w;
                }
            }
        }
        return w;
    }

    /** The title of the top-level window showing at desktop point (x, y). */
    Optional<String> titleAt(MemorySegment display, long root, int x, int y) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dx = arena.allocate(JAVA_INT);
            MemorySegment dy = arena.allocate(JAVA_INT);
            MemorySegment child = arena.allocate(JAVA_LONG);
            int ok = (int) translateCoordinates.invokeExact(display, root, root, x, y, dx, dy, child);
            long window = child.get(JAVA_LONG, 0);
            return ok == 0 || window == NONE ? Optional.empty() : namedWithin(display, window, 2);
        }
    }

    /** The title of the window with the keyboard focus, or of its nearest named ancestor. */
    Optional<String> focusedTitle(MemorySegment display, long root) throws Throwable {
        long window;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment focus = arena.allocate(JAVA_LONG);
            MemorySegment revert = arena.allocate(JAVA_INT);
            int ignored = (int) getInputFocus.invokeExact(display, focus, revert);
            window = focus.get(JAVA_LONG, 0);
        }
        for (int depth = 0; window != NONE && window != POINTER_ROOT && window != root && depth < 16; depth++) {
            Optional<String> title = title(display, window);
            if (title.isPresent()) {
                return title;
            }
            window = parent(display, window);
        }
        return Optional.empty();
    }

    private Optional<String> namedWithin(MemorySegment display, long window, int depth) throws Throwable {
        Optional<String> title = title(display, window);
        if (title.isPresent() || depth == 0) {
            return title;
        }
        Tree tree = tree(display, window);
        for (int i = tree.children().length - 1; i >= 0; i--) { // topmost child first
            Optional<String> inner = namedWithin(display, tree.children()[i], depth - 1);
            if (inner.isPresent()) {
                return inner;
            }
        }
        return Optional.empty();
    }

    private long parent(MemorySegment display, long window) throws Throwable {
        return tree(display, window).parent();
    }

    /** A window's parent and children (bottom to top); no parent and no children if it is gone. */
    private record Tree(long parent, long[] children) {
    }

    private Tree tree(MemorySegment display, long window) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment rootOut = arena.allocate(JAVA_LONG);
            MemorySegment parentOut = arena.allocate(JAVA_LONG);
            MemorySegment children = arena.allocate(ADDRESS);
            MemorySegment count = arena.allocate(JAVA_INT);
            if ((int) queryTree.invokeExact(display, window, rootOut, parentOut, children, count) == 0) {
                return new Tree(NONE, new long[0]);
            }
            MemorySegment list = children.get(ADDRESS, 0);
            if (list.equals(MemorySegment.NULL)) {
                return new Tree(parentOut.get(JAVA_LONG, 0), new long[0]);
            }
            try {
                return new Tree(parentOut.get(JAVA_LONG, 0),
                        list.reinterpret((long) count.get(JAVA_INT, 0) * Long.BYTES).toArray(JAVA_LONG));
            } finally {
                int ignored = (int) free.invokeExact(list);
            }
        }
    }

    private Optional<String> title(MemorySegment display, long window) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            long netWmName = (long) internAtom.invokeExact(display, arena.allocateFrom("_NET_WM_NAME"), 0);
            MemorySegment type = arena.allocate(JAVA_LONG);
            MemorySegment format = arena.allocate(JAVA_INT);
            MemorySegment items = arena.allocate(JAVA_LONG);
            MemorySegment after = arena.allocate(JAVA_LONG);
            MemorySegment prop = arena.allocate(ADDRESS);
            int status = (int) getWindowProperty.invokeExact(display, window, netWmName, 0L, 1024L, 0,
                    ANY_PROPERTY_TYPE, type, format, items, after, prop);
            MemorySegment data = prop.get(ADDRESS, 0);
            if (status == 0 && !data.equals(MemorySegment.NULL)) {
                try {
                    long n = items.get(JAVA_LONG, 0);
                    if (n > 0 && format.get(JAVA_INT, 0) == 8) {
                        byte[] bytes = data.reinterpret(n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
                        return Optional.of(new String(bytes, StandardCharsets.UTF_8));
                    }
                } finally {
                    int ignored = (int) free.invokeExact(data);
                }
            }
            MemorySegment name = arena.allocate(ADDRESS);
            if ((int) fetchName.invokeExact(display, window, name) != 0) {
                MemorySegment text = name.get(ADDRESS, 0);
                if (!text.equals(MemorySegment.NULL)) {
                    try {
                        return Optional.of(text.reinterpret(4096).getString(0, StandardCharsets.ISO_8859_1));
                    } finally {
                        int ignored = (int) free.invokeExact(text);
                    }
                }
            }
            return Optional.empty();
        }
    }
}
