package dev.pixelsense.screen;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.pixelsense.error.UnavailableException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Capture on X11 through MIT-SHM: the X server writes the pixels straight into a System V shared
 * memory segment we read with one bulk copy, with no socket transfer. One segment, sized for the
 * whole root window, is created at open and reused by every capture; a region capture rewrites
 * the XImage's width, height and stride in place, which is all {@code XShmGetImage} reads.
 *
 * <p>Threading: calls are serialized on this object (one Xlib connection, one segment).
 */
final class X11ShmScreen implements Screen {
    private static final Logger log = LoggerFactory.getLogger(Screen.class);
    /** Beyond this many redrawn rectangles, one read of their bounding box costs less than many round trips. */
    private static final int MAX_READS = 16;
    private final X11 x = X11.get();
    private final Arena arena = Arena.ofShared();
    private final String displayName;
    private final MemorySegment display;
    private final long root;
    private final Rect desktop;
    private X11Monitors monitors;
    private MemorySegment shmInfo;
    private MemorySegment image;
    private MemorySegment pixels;
    private X11Damage damage;
    private String damageProblem;
    /** The frame captureChanges last returned: its array is current up to the damage not yet taken. */
    private Frame tracked;
    /** One row of a redrawn area, on its way from the segment into a frame. */
    private final int[] row;
    private boolean closed;

    private X11ShmScreen(String displayName, MemorySegment display) {
        this.displayName = displayName;
        this.display = display;
        root = x.root(display);
        desktop = x.desktop(display);
        row = new int[desktop.width()];
    }

    /**
     * Opens {@code displayName} and attaches a shared segment.
     *
     * @throws UnavailableException if the display cannot be opened
     * @throws SharedMemoryUnavailable if the display works but shared memory does not (a remote
     *     display, a depth other than 24/32 bits): the caller falls back to Robot
     */
    static X11ShmScreen open(String displayName) {
        MemorySegment display = X11.get().open(displayName);
        X11ShmScreen screen = new X11ShmScreen(displayName, display);
        try {
            screen.attach();
            return screen;
        } catch (RuntimeException e) {
            screen.close();
            throw e;
        }
    }

    private void attach() {
        try {
            x.trapErrors(display);
            monitors = X11Monitors.open(display, displayName); // after the trap: an X error must not exit
            if ((int) x.shmQueryExtension.invokeExact(display) == 0) {
                throw new SharedMemoryUnavailable("the X server has no MIT-SHM extension");
            }
            int screen = (int) x.defaultScreen.invokeExact(display);
            MemorySegment visual = (MemorySegment) x.defaultVisual.invokeExact(display, screen);
            int depth = (int) x.defaultDepth.invokeExact(display, screen);
            shmInfo = arena.allocate(X11.SHM_SEGMENT_INFO);
            image = ((MemorySegment) x.shmCreateImage.invokeExact(display, visual, depth, X11.Z_PIXMAP,
                    MemorySegment.NULL, shmInfo, desktop.width(), desktop.height())).reinterpret(X11.XIMAGE_SIZE);
            if (image.equals(MemorySegment.NULL)) {
                throw new SharedMemoryUnavailable("XShmCreateImage failed");
            }
            if (image.get(JAVA_INT, X11.XIMAGE_BITS_PER_PIXEL) != 32 || image.get(JAVA_LONG, X11.XIMAGE_RED_MASK) != 0xFF0000
                    || image.get(JAVA_LONG, X11.XIMAGE_GREEN_MASK) != 0xFF00
                    || image.get(JAVA_LONG, X11.XIMAGE_BLUE_MASK) != 0xFF) {
                throw new SharedMemoryUnavailable("the screen is not 24/32-bit RGB (depth " + depth + ")");
            }
            long size = (long) desktop.width() * desktop.height() * 4;
            int id = (int) x.shmget.invokeExact(X11.IPC_PRIVATE, size, X11.IPC_CREAT | 0600);
            if (id < 0) {
                throw new SharedMemoryUnavailable("shmget of " + size + " bytes failed (kernel.shmmax?)");
            }
            MemorySegment address = (MemorySegment) x.shmat.invokeExact(id, MemorySegment.NULL, 0);
            // Marked for removal at once: the kernel frees it when both we and the server detach,
            // so even a crash of this process cannot leak the segment.
            int ignored = (int) x.shmctl.invokeExact(id, X11.IPC_RMID, MemorySegment.NULL);
            if (address.address() == -1L) {
                throw new SharedMemoryUnavailable("shmat failed");
            }
            pixels = address.reinterpret(size);
            shmInfo.set(JAVA_INT, X11.SHM_SHMID, id);
            shmInfo.set(ADDRESS, X11.SHM_SHMADDR, address);
            image.set(ADDRESS, X11.XIMAGE_DATA, address);
            int attached = (int) x.shmAttach.invokeExact(display, shmInfo);
            int synced = (int) x.sync.invokeExact(display, 0);
            int error = x.takeError(display);
            if (attached == 0 || error != 0) {
                // typical of a remote display: the server cannot see our segment
                shmInfo.set(JAVA_LONG, X11.SHM_SHMSEG, 0L);
                throw new SharedMemoryUnavailable("the X server cannot attach our shared memory (X error " + error
                        + "; a remote display?)");
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw Screens.unexpected(t);
        }
    }

    @Override
    public String backend() {
        return "x11-shm";
    }

    @Override
    public synchronized List<Monitor> monitors() {
        checkOpen();
        return monitors.list();
    }

    @Override
    public synchronized Frame capture(Target target, Frame recycle) {
        Rect r = grab(target);
        int[] out = Screens.pixelArray(r, recycle);
        if (tracked != null && out == tracked.pixels()) {
            tracked = null; // overwritten: captureChanges must not trust it any more
        }
        MemorySegment.copy(pixels, JAVA_INT, 0, out, 0, r.width() * r.height());
        return new Frame(r.width(), r.height(), out, r);
    }

    @Override
    public synchronized <T> T read(Target target, Function<FrameView, T> reader) {
        Rect r = grab(target);
        return reader.apply(new FrameView(r.width(), r.height(), pixels.asSlice(0, (long) r.width() * r.height() * 4), r));
    }

    /**
     * Reads only the rectangles DAMAGE reports redrawn into the tracked frame's array; everything
     * the first time, for another frame or target, or without DAMAGE (see {@link Screen}).
     */
    @Override
    public synchronized FrameUpdate captureChanges(Target target, Frame previous) {
        checkOpen();
        Rect r = Screens.resolve(target, desktop, this::monitors);
        X11Damage damage = damage();
        boolean known = damage != null && tracked != null && previous != null && previous.pixels() == tracked.pixels()
                && tracked.bounds().equals(r);
        tracked = null; // until this read succeeds: a failed one leaves the array part old, part new
        if (!known) {
            if (damage != null) {
                damage.reset(); // before the read: whatever is drawn after it is reported next time
            }
            grab(r);
            int[] out = Screens.pixelArray(r, previous);
            Frame frame = new Frame(r.width(), r.height(), out, r);
            long changed = FrameUpdate.comparable(previous, frame) // then out is previous's array
                    ? PixelCopy.copyCounting(pixels, row, out, r.width(), new Rect(0, 0, r.width(), r.height()))
                    : copy(out, r.width() * r.height());
            tracked = damage != null ? frame : null;
            return new FrameUpdate(frame, true, List.of(new Rect(0, 0, r.width(), r.height())), changed);
        }
        List<Rect> redrawn = damage.take(r);
        if (redrawn.size() > MAX_READS) {
            redrawn = List.of(redrawn.stream().reduce(Rect::union).orElseThrow());
        }
        long changed = 0;
        List<Rect> fetched = new ArrayList<>(redrawn.size());
        for (Rect d : redrawn) {
            grab(d);
            Rect inFrame = new Rect(d.x() - r.x(), d.y() - r.y(), d.width(), d.height());
            changed += PixelCopy.copyCounting(pixels, row, previous.pixels(), r.width(), inFrame);
            fetched.add(inFrame);
        }
        tracked = new Frame(r.width(), r.height(), previous.pixels(), r);
        return new FrameUpdate(tracked, false, fetched, changed);
    }

    /** DAMAGE tracking, started on first use; null (said once in the log) when the server has none. */
    private X11Damage damage() {
        if (damage == null && damageProblem == null) {
            try {
                damage = X11Damage.open(display, root);
            } catch (IllegalStateException e) {
                damageProblem = e.getMessage();
                log.info("Screen changes on {}: every capture reads all pixels ({})", displayName, damageProblem);
            }
        }
        return damage;
    }

    private long copy(int[] out, int count) {
        MemorySegment.copy(pixels, JAVA_INT, 0, out, 0, count);
        return count;
    }

    private Rect grab(Target target) {
        checkOpen();
        Rect r = Screens.resolve(target, desktop, this::monitors);
        grab(r);
        return r;
    }

    /** Has the server write {@code r} to the start of the segment, rows packed. */
    private void grab(Rect r) {
        try {
            image.set(JAVA_INT, X11.XIMAGE_WIDTH, r.width());
            image.set(JAVA_INT, X11.XIMAGE_HEIGHT, r.height());
            image.set(JAVA_INT, X11.XIMAGE_BYTES_PER_LINE, r.width() * 4);
            int ok = (int) x.shmGetImage.invokeExact(display, root, image, r.x(), r.y(), X11.ALL_PLANES);
            int error = x.takeError(display);
            if (ok == 0 || error != 0) {
                throw new UnavailableException("XShmGetImage of " + r + " failed on " + displayName + " (X error "
                        + error + "); did the screen size change? Reopen the screen.");
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw Screens.unexpected(t);
        }
    }

    @Override
    public synchronized java.util.Optional<String> windowTitleAt(int px, int py) {
        return title(w -> w.titleAt(display, root, px, py));
    }

    @Override
    public synchronized java.util.Optional<String> focusedWindowTitle() {
        return title(w -> w.focusedTitle(display, root));
    }

    /** A title query under this screen's lock; empty when a window went away during it (an X error). */
    private java.util.Optional<String> title(TitleQuery query) {
        checkOpen();
        try {
            java.util.Optional<String> title = query.run(X11Windows.get());
            int ignored = (int) x.sync.invokeExact(display, 0);
            return x.takeError(display) == 0 ? title : java.util.Optional.empty();
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw Screens.unexpected(t);
        }
    }

    @FunctionalInterface
    private interface TitleQuery {
        java.util.Optional<String> run(X11Windows windows) throws Throwable;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("screen is closed");
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (damage != null) {
                damage.close();
            }
            if (shmInfo != null && shmInfo.get(JAVA_LONG, X11.SHM_SHMSEG) != 0L) {
                int ignored = (int) x.shmDetach.invokeExact(display, shmInfo);
            }
            if (image != null && !image.equals(MemorySegment.NULL)) {
                // XFree, not XDestroyImage: the data is the shared segment, not malloc'd
                int ignored = (int) x.free.invokeExact(image);
            }
            int ignored = (int) x.closeDisplay.invokeExact(display);
            if (pixels != null) {
                int detached = (int) x.shmdt.invokeExact(pixels);
            }
        } catch (Throwable t) {
            throw Screens.unexpected(t);
        } finally {
            x.untrap(display);
            arena.close();
        }
    }

    /** Shared memory cannot be used on this display; Robot can still capture it. */
    static final class SharedMemoryUnavailable extends RuntimeException {
        SharedMemoryUnavailable(String message) {
            super(message);
        }
    }
}
