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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The RandR (libXrandr) calls that list monitors, bound once through the FFM API, and the two ways
 * of reading them ({@link X11Monitors} chooses). Loading fails
 * with {@link IllegalStateException} naming the missing library; monitors come from Xinerama then.
 * {@code XRRGetMonitors} (RandR 1.5) is optional: an older libXrandr has only the 1.2 calls.
 */
final class XRandr {
    static final int CONNECTED = 0; // RR_Connected

    // XRRMonitorInfo (Xrandr.h), LP64 offsets
    static final long MONITOR_NAME = 0;
    static final long MONITOR_PRIMARY = 8;
    static final long MONITOR_NOUTPUT = 16;
    static final long MONITOR_X = 20;
    static final long MONITOR_Y = 24;
    static final long MONITOR_WIDTH = 28;
    static final long MONITOR_HEIGHT = 32;
    static final long MONITOR_OUTPUTS = 48;
    static final long MONITOR_SIZE = 56;
    // XRRScreenResources
    static final long RESOURCES_NCRTC = 16;
    static final long RESOURCES_CRTCS = 24;
    static final long RESOURCES_NOUTPUT = 32;
    static final long RESOURCES_OUTPUTS = 40;
    static final long RESOURCES_SIZE = 64;
    // XRROutputInfo
    static final long OUTPUT_CRTC = 8;
    static final long OUTPUT_NAME = 16;
    static final long OUTPUT_NAME_LEN = 24;
    static final long OUTPUT_CONNECTION = 48; // unsigned short
    static final long OUTPUT_SIZE = 96;
    // XRRCrtcInfo: width and height already account for rotation
    static final long CRTC_X = 8;
    static final long CRTC_Y = 12;
    static final long CRTC_WIDTH = 16;
    static final long CRTC_HEIGHT = 20;
    static final long CRTC_MODE = 24;
    static final long CRTC_SIZE = 64;

    private static volatile XRandr instance;

    final MethodHandle queryExtension;
    final MethodHandle queryVersion;
    final Optional<MethodHandle> getMonitors;
    final Optional<MethodHandle> freeMonitors;
    final MethodHandle getScreenResourcesCurrent;
    final MethodHandle freeScreenResources;
    final MethodHandle getOutputPrimary;
    final MethodHandle getOutputInfo;
    final MethodHandle freeOutputInfo;
    final MethodHandle getCrtcInfo;
    final MethodHandle freeCrtcInfo;

    private XRandr() {
        SymbolLookup xrandr = X11.library("libXrandr.so.2", "libxrandr2");
        // Bool XRRQueryExtension(Display*, int *event_base, int *error_base)
        queryExtension = X11.bind(xrandr, "XRRQueryExtension", JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
        // Status XRRQueryVersion(Display*, int *major, int *minor)
        queryVersion = X11.bind(xrandr, "XRRQueryVersion", JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
        boolean has15 = xrandr.find("XRRGetMonitors").isPresent();
        // XRRMonitorInfo *XRRGetMonitors(Display*, Window, Bool get_active, int *nmonitors)
        getMonitors = has15 ? Optional.of(X11.bind(xrandr, "XRRGetMonitors", ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT,
                ADDRESS)) : Optional.empty();
        freeMonitors = has15 ? Optional.of(X11.bindVoid(xrandr, "XRRFreeMonitors", ADDRESS)) : Optional.empty();
        // "Current": the server's last known state, without probing outputs (which can take 100 ms)
        getScreenResourcesCurrent = X11.bind(xrandr, "XRRGetScreenResourcesCurrent", ADDRESS, ADDRESS, JAVA_LONG);
        freeScreenResources = X11.bindVoid(xrandr, "XRRFreeScreenResources", ADDRESS);
        // RROutput XRRGetOutputPrimary(Display*, Window)
        getOutputPrimary = X11.bind(xrandr, "XRRGetOutputPrimary", JAVA_LONG, ADDRESS, JAVA_LONG);
        // XRROutputInfo *XRRGetOutputInfo(Display*, XRRScreenResources*, RROutput)
        getOutputInfo = X11.bind(xrandr, "XRRGetOutputInfo", ADDRESS, ADDRESS, ADDRESS, JAVA_LONG);
        freeOutputInfo = X11.bindVoid(xrandr, "XRRFreeOutputInfo", ADDRESS);
        // XRRCrtcInfo *XRRGetCrtcInfo(Display*, XRRScreenResources*, RRCrtc)
        getCrtcInfo = X11.bind(xrandr, "XRRGetCrtcInfo", ADDRESS, ADDRESS, ADDRESS, JAVA_LONG);
        freeCrtcInfo = X11.bindVoid(xrandr, "XRRFreeCrtcInfo", ADDRESS);
    }

    /** The bindings, loaded on first use. */
    static XRandr get() {
        XRandr r = instance;
        if (r == null) {
            synchronized (XRandr.class) {
                r = instance;
                if (r == null) {
                    r = new XRandr();
                    instance = r;
                }
            }
        }
        return r;
    }

    /**
     * RandR 1.5: the active monitors in the server's order (primary first), with their names.
     * Includes monitors defined with {@code xrandr --setmonitor}.
     */
    List<X11Monitors.Found> monitors(MemorySegment display, long root) throws Throwable {
        long primaryOutput = (long) getOutputPrimary.invokeExact(display, root);
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment count = temp.allocate(JAVA_INT);
            MemorySegment infos = (MemorySegment) getMonitors.orElseThrow().invokeExact(display, root, 1, count);
            if (infos.equals(MemorySegment.NULL)) {
                return List.of();
            }
            try {
                int n = count.get(JAVA_INT, 0);
                MemorySegment all = infos.reinterpret(n * MONITOR_SIZE);
                List<X11Monitors.Found> found = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    MemorySegment m = all.asSlice(i * MONITOR_SIZE, MONITOR_SIZE);
                    int width = m.get(JAVA_INT, MONITOR_WIDTH);
                    int height = m.get(JAVA_INT, MONITOR_HEIGHT);
                    if (width <= 0 || height <= 0) {
                        continue;
                    }
                    // a monitor defined by a user carries its own flag; an automatic one may not
                    boolean primary = m.get(JAVA_INT, MONITOR_PRIMARY) != 0
                            || holds(m.get(ADDRESS, MONITOR_OUTPUTS), m.get(JAVA_INT, MONITOR_NOUTPUT), primaryOutput);
                    found.add(new X11Monitors.Found(atomName(display, m.get(JAVA_LONG, MONITOR_NAME), "monitor-" + i),
                            new Rect(m.get(JAVA_INT, MONITOR_X), m.get(JAVA_INT, MONITOR_Y), width, height), primary));
                }
                return found;
            } finally {
                freeMonitors.orElseThrow().invokeExact(infos);
            }
        }
    }

    private static boolean holds(MemorySegment outputs, int n, long output) {
        if (output == 0 || n <= 0 || outputs.equals(MemorySegment.NULL)) {
            return false;
        }
        MemorySegment ids = outputs.reinterpret(n * 8L);
        for (int i = 0; i < n; i++) {
            if (ids.getAtIndex(JAVA_LONG, i) == output) {
                return true;
            }
        }
        return false;
    }

    private static String atomName(MemorySegment display, long atom, String fallback) throws Throwable {
        X11 x = X11.get();
        MemorySegment name = (MemorySegment) x.getAtomName.invokeExact(display, atom);
        if (name.equals(MemorySegment.NULL)) {
            return fallback;
        }
        String text = name.reinterpret(Long.MAX_VALUE).getString(0);
        int ignored = (int) x.free.invokeExact(name);
        return text.isBlank() ? fallback : text;
    }

    /**
     * RandR 1.2: one monitor per active CRTC, named after its first connected output (the primary
     * output when it is one of a CRTC's clones), the primary first as RandR 1.5 and Xinerama order them.
     */
    List<X11Monitors.Found> outputs(MemorySegment display, long root) throws Throwable {
        long primaryOutput = (long) getOutputPrimary.invokeExact(display, root);
        MemorySegment res = (MemorySegment) getScreenResourcesCurrent.invokeExact(display, root);
        if (res.equals(MemorySegment.NULL)) {
            return List.of();
        }
        try {
            res = res.reinterpret(RESOURCES_SIZE);
            int noutput = res.get(JAVA_INT, RESOURCES_NOUTPUT);
            MemorySegment outputs = res.get(ADDRESS, RESOURCES_OUTPUTS).reinterpret(noutput * 8L);
            Map<Long, X11Monitors.Found> byCrtc = new LinkedHashMap<>();
            for (int i = 0; i < noutput; i++) {
                long output = outputs.getAtIndex(JAVA_LONG, i);
                MemorySegment info = (MemorySegment) getOutputInfo.invokeExact(display, res, output);
                if (info.equals(MemorySegment.NULL)) {
                    continue;
                }
                try {
                    info = info.reinterpret(OUTPUT_SIZE);
                    long crtc = info.get(JAVA_LONG, OUTPUT_CRTC);
                    if (crtc == 0 || info.get(JAVA_SHORT, OUTPUT_CONNECTION) != CONNECTED) {
                        continue;
                    }
                    String name = info.get(ADDRESS, OUTPUT_NAME).reinterpret(info.get(JAVA_INT, OUTPUT_NAME_LEN) + 1L)
                            .getString(0);
                    boolean primary = output == primaryOutput;
                    X11Monitors.Found earlier = byCrtc.get(crtc);
                    if (earlier == null) {
                        Rect bounds = crtcBounds(display, res, crtc);
                        if (bounds != null) {
                            byCrtc.put(crtc, new X11Monitors.Found(name, bounds, primary));
                        }
                    } else if (primary) { // a clone: one monitor, named after the primary output
                        byCrtc.put(crtc, new X11Monitors.Found(name, earlier.bounds(), true));
                    }
                } finally {
                    freeOutputInfo.invokeExact(info);
                }
            }
            List<X11Monitors.Found> found = new ArrayList<>(byCrtc.values());
            found.sort(Comparator.comparing(f -> !f.primary()));
            return found;
        } finally {
            freeScreenResources.invokeExact(res);
        }
    }

    private Rect crtcBounds(MemorySegment display, MemorySegment res, long crtc) throws Throwable {
        MemorySegment info = (MemorySegment) getCrtcInfo.invokeExact(display, res, crtc);
        if (info.equals(MemorySegment.NULL)) {
            return null;
        }
        try {
            info = info.reinterpret(CRTC_SIZE);
            int width = info.get(JAVA_INT, CRTC_WIDTH);
            int height = info.get(JAVA_INT, CRTC_HEIGHT);
            if (info.get(JAVA_LONG, CRTC_MODE) == 0 || width <= 0 || height <= 0) {
                return null; // a CRTC without a mode is off
            }
            return new Rect(info.get(JAVA_INT, CRTC_X), info.get(JAVA_INT, CRTC_Y), width, height);
        } finally {
            freeCrtcInfo.invokeExact(info);
        }
    }
}
