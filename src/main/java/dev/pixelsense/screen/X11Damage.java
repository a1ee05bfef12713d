package dev.pixelsense.screen;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * What the X server redrew on the screen since we last asked, through the DAMAGE extension
 * (libXdamage, with regions from libXfixes), bound through the FFM API. One damage object on the
 * root window collects every rendering to the screen, children included; {@link #take} moves it
 * into a region and reads the region's rectangles in one round trip (~10 us here), clearing it.
 *
 * <p>Order matters for exactness: the damage is cleared <em>before</em> the pixels are read, so a
 * drawing that lands between the two is both read now and reported again next time, never lost.
 *
 * <p>The damage object sends an event each time it goes from empty to non-empty; nobody needs
 * them, but Xlib queues whatever arrives, so {@link #take} drains the queue to keep it from growing.
 * The connection must select no other events (a {@link X11ShmScreen}'s selects none).
 */
final class X11Damage implements AutoCloseable {
    private static final int REPORT_NON_EMPTY = 3; // XDamageReportNonEmpty: the fewest events
    private static final long NONE = 0L;
    private static final int QUEUED_ALREADY = 0;
    private static final long XRECTANGLE_SIZE = 8; // short x, y; unsigned short width, height
    private static final long XEVENT_SIZE = 192;

    private static volatile Bindings bindings;

    private final Bindings b;
    private final MemorySegment display;
    private final long damage;
    private final long region;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment count = arena.allocate(JAVA_INT);
    private final MemorySegment event = arena.allocate(XEVENT_SIZE);
    private boolean closed;

    private X11Damage(Bindings b, MemorySegment display, long damage, long region) {
        this.b = b;
        this.display = display;
        this.damage = damage;
        this.region = region;
    }

    /**
     * Starts collecting damage on {@code root}.
     *
     * @throws IllegalStateException saying why not (a library or the extension is missing)
     */
    static X11Damage open(MemorySegment display, long root) {
        Bindings b = Bindings.get();
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment out = temp.allocate(JAVA_INT, 2);
            // both extensions must be told which version we speak before any other request
            if ((int) b.damageQueryExtension.invokeExact(display, out, out.asSlice(4)) == 0
                    || (int) b.damageQueryVersion.invokeExact(display, out, out.asSlice(4)) == 0) {
                throw new IllegalStateException("the X server has no DAMAGE extension");
            }
            if ((int) b.fixesQueryExtension.invokeExact(display, out, out.asSlice(4)) == 0
                    || (int) b.fixesQueryVersion.invokeExact(display, out, out.asSlice(4)) == 0
                    || out.get(JAVA_INT, 0) < 2) {
                throw new IllegalStateException("the X server has no XFIXES 2+ extension (regions)");
            }
            long damage = (long) b.damageCreate.invokeExact(display, root, REPORT_NON_EMPTY);
            long region = (long) b.createRegion.invokeExact(display, MemorySegment.NULL, 0);
            return new X11Damage(b, display, damage, region);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw Screens.unexpected(t);
        }
    }

    /** Forgets what was redrawn so far: call right before reading every pixel. */
    void reset() {
        try {
            b.damageSubtract.invokeExact(display, damage, NONE, NONE);
        } catch (Throwable t) {
            throw Screens.unexpected(t);
        }
    }

    /**
     * The areas redrawn since the last {@link #take} or {@link #reset}, clipped to {@code within}
     * (desktop coordinates), and forgets them. XFixes regions are banded and non-overlapping, so no
     * pixel is in two rectangles.
     */
    List<Rect> take(Rect within) {
        try {
            b.damageSubtract.invokeExact(display, damage, NONE, region);
            MemorySegment rects = (MemorySegment) b.fetchRegion.invokeExact(display, region, count);
            drainEvents();
            if (rects.equals(MemorySegment.NULL)) {
                return List.of();
            }
            int n = count.get(JAVA_INT, 0);
            MemorySegment all = rects.reinterpret(n * XRECTANGLE_SIZE);
            List<Rect> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                long base = i * XRECTANGLE_SIZE;
                int x = all.get(JAVA_SHORT, base);
                int y = all.get(JAVA_SHORT, base + 2);
                int left = Math.max(x, within.x());
                int top = Math.max(y, within.y());
                int right = Math.min(x + (all.get(JAVA_SHORT, base + 4) & 0xFFFF), within.right());
                int bottom = Math.min(y + (all.get(JAVA_SHORT, base + 6) & 0xFFFF), within.bottom());
                if (right > left && bottom > top) {
                    out.add(new Rect(left, top, right - left, bottom - top));
                }
            }
            int ignored = (int) X11.get().free.invokeExact(rects);
            return out;
        } catch (Throwable t) {
            throw Screens.unexpected(t);
        }
    }

    private void drainEvents() throws Throwable {
        int queued = (int) b.eventsQueued.invokeExact(display, QUEUED_ALREADY);
        for (int i = 0; i < queued; i++) {
            int ignored = (int) b.nextEvent.invokeExact(display, event);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            b.damageDestroy.invokeExact(display, damage);
            b.destroyRegion.invokeExact(display, region);
        } catch (Throwable t) {
            throw Screens.unexpected(t);
        } finally {
            arena.close();
        }
    }

    /** The libXdamage, libXfixes and Xlib event calls, bound once. */
    private static final class Bindings {
        final MethodHandle damageQueryExtension;
        final MethodHandle damageQueryVersion;
        final MethodHandle damageCreate;
        final MethodHandle damageDestroy;
        final MethodHandle damageSubtract;
        final MethodHandle fixesQueryExtension;
        final MethodHandle fixesQueryVersion;
        final MethodHandle createRegion;
        final MethodHandle destroyRegion;
        final MethodHandle fetchRegion;
        final MethodHandle eventsQueued;
        final MethodHandle nextEvent;

        private Bindings() {
            SymbolLookup x11 = X11.library("libX11.so.6", "libx11-6");
            SymbolLookup xdamage = X11.library("libXdamage.so.1", "libxdamage1");
            SymbolLookup xfixes = X11.library("libXfixes.so.3", "libxfixes3");
            // Bool XDamageQueryExtension(Display*, int*, int*); Status XDamageQueryVersion(Display*, int*, int*)
            damageQueryExtension = X11.bind(xdamage, "XDamageQueryExtension", JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
            damageQueryVersion = X11.bind(xdamage, "XDamageQueryVersion", JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
            // Damage XDamageCreate(Display*, Drawable, int level)
            damageCreate = X11.bind(xdamage, "XDamageCreate", JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_INT);
            damageDestroy = X11.bindVoid(xdamage, "XDamageDestroy", ADDRESS, JAVA_LONG);
            // void XDamageSubtract(Display*, Damage, XserverRegion repair, XserverRegion parts)
            damageSubtract = X11.bindVoid(xdamage, "XDamageSubtract", ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG);
            fixesQueryExtension = X11.bind(xfixes, "XFixesQueryExtension", JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
            fixesQueryVersion = X11.bind(xfixes, "XFixesQueryVersion", JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
            // XserverRegion XFixesCreateRegion(Display*, XRectangle*, int nrectangles)
            createRegion = X11.bind(xfixes, "XFixesCreateRegion", JAVA_LONG, ADDRESS, ADDRESS, JAVA_INT);
            destroyRegion = X11.bindVoid(xfixes, "XFixesDestroyRegion", ADDRESS, JAVA_LONG);
            // XRectangle *XFixesFetchRegion(Display*, XserverRegion, int *nrectangles): the caller XFrees it
            fetchRegion = X11.bind(xfixes, "XFixesFetchRegion", ADDRESS, ADDRESS, JAVA_LONG, ADDRESS);
            eventsQueued = X11.bind(x11, "XEventsQueued", JAVA_INT, ADDRESS, JAVA_INT);
            nextEvent = X11.bind(x11, "XNextEvent", JAVA_INT, ADDRESS, ADDRESS);
        }

        static Bindings get() {
            Bindings b = bindings;
            if (b == null) {
                synchronized (X11Damage.class) {
                    b = bindings;
                    if (b == null) {
                        b = new Bindings();
                        bindings = b;
                    }
                }
            }
            return b;
        }
    }
}
