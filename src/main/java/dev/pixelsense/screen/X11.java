package dev.pixelsense.screen;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.pixelsense.error.UnavailableException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The few Xlib, MIT-SHM, Xinerama and System V shared-memory calls capture needs, bound once
 * through the FFM API. Loading fails with {@link IllegalStateException} naming the missing library.
 *
 * <p>X errors: Xlib's default error handler exits the process, which a server must never allow.
 * {@link #trapErrors} installs one process-wide handler that records errors raised on displays
 * opened here and passes every other display's errors to the handler it replaced (AWT chains the
 * same way), so calls can be checked with {@link #takeError}.
 */
final class X11 {
    static final int Z_PIXMAP = 2;
    static final long ALL_PLANES = -1L;
    static final int IPC_PRIVATE = 0;
    static final int IPC_CREAT = 01000;
    static final int IPC_RMID = 0;

    // struct XImage (Xlib.h), LP64 offsets
    static final long XIMAGE_WIDTH = 0;
    static final long XIMAGE_HEIGHT = 4;
    static final long XIMAGE_DATA = 16;
    static final long XIMAGE_BYTES_PER_LINE = 44;
    static final long XIMAGE_BITS_PER_PIXEL = 48;
    static final long XIMAGE_RED_MASK = 56;
    static final long XIMAGE_GREEN_MASK = 64;
    static final long XIMAGE_BLUE_MASK = 72;
    static final long XIMAGE_SIZE = 136;
    // XShmSegmentInfo (XShm.h): ShmSeg shmseg; int shmid; char *shmaddr; Bool readOnly
    static final MemoryLayout SHM_SEGMENT_INFO = MemoryLayout.structLayout(
            JAVA_LONG.withName("shmseg"), JAVA_INT.withName("shmid"), MemoryLayout.paddingLayout(4),
            ADDRESS.withName("shmaddr"), JAVA_INT.withName("readOnly"), MemoryLayout.paddingLayout(4));
    static final long SHM_SHMSEG = 0;
    static final long SHM_SHMID = 8;
    static final long SHM_SHMADDR = 16;
    // XineramaScreenInfo: int screen_number; short x_org, y_org, width, height
    static final long XINERAMA_INFO_SIZE = 12;

    private static final Linker LINKER = Linker.nativeLinker();
    private static volatile X11 instance;

    final MethodHandle openDisplay;
    final MethodHandle closeDisplay;
    final MethodHandle defaultScreen;
    final MethodHandle rootWindow;
    final MethodHandle displayWidth;
    final MethodHandle displayHeight;
    final MethodHandle defaultVisual;
    final MethodHandle defaultDepth;
    final MethodHandle sync;
    final MethodHandle free;
    final MethodHandle getAtomName;
    final MethodHandle resourceManagerString;
    final MethodHandle shmQueryExtension;
    final MethodHandle shmCreateImage;
    final MethodHandle shmAttach;
    final MethodHandle shmDetach;
    final MethodHandle shmGetImage;
    final MethodHandle shmget;
    final MethodHandle shmat;
    final MethodHandle shmdt;
    final MethodHandle shmctl;
    /** Empty when libXinerama is not installed (see {@link X11Monitors}). */
    final Optional<MethodHandle> xineramaIsActive;
    final Optional<MethodHandle> xineramaQueryScreens;
    private final MethodHandle setErrorHandler;

    private final Map<Long, Integer> errors = new ConcurrentHashMap<>();
    private final Map<Long, Boolean> ours = new ConcurrentHashMap<>();
    private MemorySegment previousHandler = MemorySegment.NULL;
    private MethodHandle previousHandlerCall;
    private boolean trapping;

    private X11() {
        SymbolLookup x11 = library("libX11.so.6", "libx11-6");
        SymbolLookup xext = library("libXext.so.6", "libxext6");
        SymbolLookup libc = LINKER.defaultLookup();
        openDisplay = bind(x11, "XOpenDisplay", ADDRESS, ADDRESS);
        closeDisplay = bind(x11, "XCloseDisplay", JAVA_INT, ADDRESS);
        defaultScreen = bind(x11, "XDefaultScreen", JAVA_INT, ADDRESS);
        rootWindow = bind(x11, "XRootWindow", JAVA_LONG, ADDRESS, JAVA_INT);
        displayWidth = bind(x11, "XDisplayWidth", JAVA_INT, ADDRESS, JAVA_INT);
        displayHeight = bind(x11, "XDisplayHeight", JAVA_INT, ADDRESS, JAVA_INT);
        defaultVisual = bind(x11, "XDefaultVisual", ADDRESS, ADDRESS, JAVA_INT);
        defaultDepth = bind(x11, "XDefaultDepth", JAVA_INT, ADDRESS, JAVA_INT);
        sync = bind(x11, "XSync", JAVA_INT, ADDRESS, JAVA_INT);
        free = bind(x11, "XFree", JAVA_INT, ADDRESS);
        // char *XGetAtomName(Display*, Atom): the caller XFrees it
        getAtomName = bind(x11, "XGetAtomName", ADDRESS, ADDRESS, JAVA_LONG);
        // char *XResourceManagerString(Display*): the RESOURCE_MANAGER property as read at XOpenDisplay, owned by Xlib
        resourceManagerString = bind(x11, "XResourceManagerString", ADDRESS, ADDRESS);
        setErrorHandler = bind(x11, "XSetErrorHandler", ADDRESS, ADDRESS);
        shmQueryExtension = bind(xext, "XShmQueryExtension", JAVA_INT, ADDRESS);
        shmCreateImage = bind(xext, "XShmCreateImage", ADDRESS,
                ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT);
        shmAttach = bind(xext, "XShmAttach", JAVA_INT, ADDRESS, ADDRESS);
        shmDetach = bind(xext, "XShmDetach", JAVA_INT, ADDRESS, ADDRESS);
        // Bool XShmGetImage(Display*, Drawable, XImage*, int x, int y, unsigned long plane_mask)
        shmGetImage = bind(xext, "XShmGetImage", JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_INT, JAVA_INT, JAVA_LONG);
        shmget = bind(libc, "shmget", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT);
        shmat = bind(libc, "shmat", ADDRESS, JAVA_INT, ADDRESS, JAVA_INT);
        shmdt = bind(libc, "shmdt", JAVA_INT, ADDRESS);
        shmctl = bind(libc, "shmctl", JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS);
        Optional<SymbolLookup> xinerama = optionalLibrary("libXinerama.so.1");
        xineramaIsActive = xinerama.map(l -> bind(l, "XineramaIsActive", JAVA_INT, ADDRESS));
        xineramaQueryScreens = xinerama.map(l -> bind(l, "XineramaQueryScreens", ADDRESS, ADDRESS, ADDRESS));
    }

    /** The bindings, loaded on first use. */
    static X11 get() {
        X11 x = instance;
        if (x == null) {
            synchronized (X11.class) {
                x = instance;
                if (x == null) {
                    x = new X11();
                    instance = x;
                }
            }
        }
        return x;
    }

    /** Loads a library, or fails naming the Debian package that has it. */
    static SymbolLookup library(String name, String debianPackage) {
        return optionalLibrary(name).orElseThrow(() -> new IllegalStateException(
                name + " is not installed; install it (Debian/Ubuntu: apt-get install " + debianPackage + ")"));
    }

    private static Optional<SymbolLookup> optionalLibrary(String name) {
        try {
            return Optional.of(SymbolLookup.libraryLookup(name, Arena.global()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static MethodHandle bind(SymbolLookup lookup, String name, MemoryLayout result, MemoryLayout... args) {
        return LINKER.downcallHandle(symbol(lookup, name), FunctionDescriptor.of(result, args));
    }

    /** A function returning {@code void}. */
    static MethodHandle bindVoid(SymbolLookup lookup, String name, MemoryLayout... args) {
        return LINKER.downcallHandle(symbol(lookup, name), FunctionDescriptor.ofVoid(args));
    }

    private static MemorySegment symbol(SymbolLookup lookup, String name) {
        return lookup.find(name).orElseThrow(() -> new IllegalStateException("no symbol " + name));
    }

    /**
     * Opens a connection to {@code displayName}.
     *
     * @throws UnavailableException saying what to check when the display cannot be opened
     */
    MemorySegment open(String displayName) {
        MemorySegment display;
        try (Arena temp = Arena.ofConfined()) {
            display = (MemorySegment) openDisplay.invokeExact(temp.allocateFrom(displayName));
        } catch (Throwable t) {
            throw Screens.unexpected(t);
        }
        if (display.equals(MemorySegment.NULL)) {
            throw new UnavailableException("Cannot open X display '" + displayName + "': is the X server running, and"
                    + " may this user connect to it (XAUTHORITY, xhost)?");
        }
        return display;
    }

    /** The root window's size: the virtual desktop. */
    Rect desktop(MemorySegment display) {
        try {
            int screen = (int) defaultScreen.invokeExact(display);
            return new Rect(0, 0, (int) displayWidth.invokeExact(display, screen),
                    (int) displayHeight.invokeExact(display, screen));
        } catch (Throwable t) {
            throw Screens.unexpected(t);
        }
    }

    long root(MemorySegment display) {
        try {
            return (long) rootWindow.invokeExact(display, (int) defaultScreen.invokeExact(display));
        } catch (Throwable t) {
            throw Screens.unexpected(t);
        }
    }

    /** Starts recording X errors raised on {@code display} (see the class comment). */
    synchronized void trapErrors(MemorySegment display) throws Throwable {
        if (!trapping) {
            MethodHandle target = MethodHandles.lookup().findVirtual(X11.class, "onError",
                    MethodType.methodType(int.class, MemorySegment.class, MemorySegment.class)).bindTo(this);
            FunctionDescriptor handler = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS);
            MemorySegment stub = LINKER.upcallStub(target, handler, Arena.global());
            previousHandler = (MemorySegment) setErrorHandler.invokeExact(stub);
            if (!previousHandler.equals(MemorySegment.NULL)) {
                previousHandlerCall = LINKER.downcallHandle(previousHandler, handler);
            }
            trapping = true;
        }
        ours.put(display.address(), Boolean.TRUE);
    }

    void untrap(MemorySegment display) {
        ours.remove(display.address());
        errors.remove(display.address());
    }

    /** The X error code last raised on {@code display} since the previous call, or 0. */
    int takeError(MemorySegment display) {
        Integer code = errors.remove(display.address());
        return code == null ? 0 : code;
    }

    // int (*XErrorHandler)(Display*, XErrorEvent*); error_code is the byte at offset 32
    private int onError(MemorySegment display, MemorySegment event) {
        if (ours.containsKey(display.address())) {
            errors.put(display.address(), event.reinterpret(40).get(JAVA_BYTE, 32) & 0xFF);
            return 0;
        }
        try {
            return previousHandlerCall == null ? 0 : (int) previousHandlerCall.invokeExact(display, event);
        } catch (Throwable t) {
            return 0; // an upcall must not throw: the JVM would crash
        }
    }
}
