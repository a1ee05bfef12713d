package dev.pixelsense.screen;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitors of one X connection. Where they come from is chosen once, when the connection is
 * opened, and logged once per process:
 * <ol>
 * <li><b>RandR</b>: the server's monitors with the output names ({@code DP-1}, {@code HDMI-1};
 *     Xvfb's one output is {@code screen}) and the primary flag. RandR 1.5's {@code XRRGetMonitors}
 *     when both server and libXrandr have it (it includes monitors defined with
 *     {@code xrandr --setmonitor}); otherwise one monitor per active CRTC from
 *     {@code XRRGetScreenResourcesCurrent}, which reads the server's state without probing outputs.</li>
 * <li><b>Xinerama</b>, when libXrandr or the extension is missing, RandR lists no monitor, or its
 *     monitors are not Xinerama's heads. The last happens under server-side Xinerama over several
 *     X screens ({@code Xvfb +xinerama -screen 0 ... -screen 1 ...}, "Zaphod" setups): clients see
 *     one combined screen, but RandR describes only the first X screen. On a normal one-screen
 *     server the X server derives Xinerama's heads from RandR's monitors, so the two agree.</li>
 * <li>The whole root window as one monitor.</li>
 * </ol>
 * Both RandR and Xinerama list the primary monitor first, so ids are the same whichever is used.
 * When nothing is marked primary (Xvfb's default), the first monitor is reported primary.
 *
 * <p><b>Scale is 1.0 on X11.</b> X coordinates are physical pixels, and the X server has no
 * per-monitor scale factor: a "200%" desktop on X11 is toolkits (GTK, Qt) drawing bigger because
 * the {@code Xft.dpi} resource says 192, while every window, pointer position and captured pixel
 * stays in device pixels. So clicks and captures need no scaling here. The toolkits' factor,
 * {@code Xft.dpi / 96} from the resources Xlib read when the connection was opened (no round
 * trip), is reported as {@link Monitor#toolkitScale()} for information: it tells how large text
 * and widgets are drawn, not how coordinates map.
 */
final class X11Monitors {
    private static final Logger log = LoggerFactory.getLogger(Screen.class);
    private static final AtomicBoolean logged = new AtomicBoolean();

    /** Where the monitors come from. */
    enum Source {
        RANDR_MONITORS("RandR 1.5 monitors"),
        RANDR_OUTPUTS("RandR outputs"),
        XINERAMA("Xinerama"),
        ROOT("the root window");

        final String label;

        Source(String label) {
            this.label = label;
        }
    }

    private final X11 x = X11.get();
    private final MemorySegment display;
    private final long root;
    private final Rect desktop;
    private final double toolkitScale;
    private final Source source;

    private X11Monitors(MemorySegment display, long root, Rect desktop, Source preferred, String displayName) {
        this.display = display;
        this.root = root;
        this.desktop = desktop;
        this.toolkitScale = toolkitScale(display);
        Choice choice = choose(preferred);
        this.source = choice.source;
        if (logged.compareAndSet(false, true)) {
            log.info("Monitors on {}: {}{}", displayName, source.label, choice.why.isEmpty() ? "" : " (" + choice.why + ")");
        }
    }

    /** Chooses the best source this server offers. */
    static X11Monitors open(MemorySegment display, String displayName) {
        return open(display, displayName, Source.RANDR_MONITORS);
    }

    /** Chooses {@code preferred} or the first available source after it (tests force RandR outputs). */
    static X11Monitors open(MemorySegment display, String displayName, Source preferred) {
        X11 x = X11.get();
        return new X11Monitors(display, x.root(display), x.desktop(display), preferred, displayName);
    }

    Source source() {
        return source;
    }

    /** The monitors as the chosen source lists them now; the root window if it lists none (all outputs off). */
    List<Monitor> list() {
        List<Monitor> monitors = read(source);
        return monitors.isEmpty() ? rootMonitor() : monitors;
    }

    private record Choice(Source source, String why) {}

    private Choice choose(Source preferred) {
        String why = "";
        if (preferred.ordinal() <= Source.RANDR_OUTPUTS.ordinal()) {
            Choice randr = randrSource(preferred);
            if (randr.source == null) {
                why = "no usable RandR 1.2+: " + randr.why;
            } else {
                List<Monitor> fromRandr = read(randr.source);
                List<Monitor> heads = read(Source.XINERAMA);
                if (fromRandr.isEmpty()) {
                    why = "RandR lists no active monitor";
                } else if (!heads.isEmpty() && !sameBounds(fromRandr, heads)) {
                    why = "RandR lists " + fromRandr.size() + " monitor(s), Xinerama " + heads.size()
                            + " head(s): server-side Xinerama over several X screens, where RandR sees the first only";
                } else {
                    return randr;
                }
            }
        }
        if (!read(Source.XINERAMA).isEmpty()) {
            return new Choice(Source.XINERAMA, why);
        }
        return new Choice(Source.ROOT, why.isEmpty() ? "neither RandR nor Xinerama lists monitors" : why);
    }

    /** RANDR_MONITORS, or RANDR_OUTPUTS when 1.5 is missing or not {@code preferred}; a null source says why not. */
    private Choice randrSource(Source preferred) {
        XRandr r;
        try {
            r = XRandr.get();
        } catch (IllegalStateException e) {
            return new Choice(null, e.getMessage());
        }
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment out = temp.allocate(JAVA_INT, 2);
            if ((int) r.queryExtension.invokeExact(display, out, out.asSlice(4)) == 0) {
                return new Choice(null, "the X server has no RANDR extension");
            }
            int status = (int) r.queryVersion.invokeExact(display, out, out.asSlice(4));
            int major = out.get(JAVA_INT, 0);
            int minor = out.get(JAVA_INT, 4);
            if (status == 0 || major < 1 || (major == 1 && minor < 2)) {
                return new Choice(null, "the X server has RandR " + major + "." + minor);
            }
            boolean has15 = major > 1 || minor >= 5;
            return new Choice(preferred == Source.RANDR_MONITORS && has15 && r.getMonitors.isPresent()
                    ? Source.RANDR_MONITORS : Source.RANDR_OUTPUTS, "");
        } catch (Throwable t) {
            throw Screens.unexpected(t);
        }
    }

    private static boolean sameBounds(List<Monitor> a, List<Monitor> b) {
        Comparator<Rect> order = Comparator.comparingInt(Rect::y).thenComparingInt(Rect::x)
                .thenComparingInt(Rect::width).thenComparingInt(Rect::height);
        return a.stream().map(Monitor::bounds).sorted(order).toList()
                .equals(b.stream().map(Monitor::bounds).sorted(order).toList());
    }

    private List<Monitor> read(Source from) {
        try {
            return switch (from) {
                case RANDR_MONITORS -> numbered(XRandr.get().monitors(display, root));
                case RANDR_OUTPUTS -> numbered(XRandr.get().outputs(display, root));
                case XINERAMA -> xineramaHeads();
                case ROOT -> rootMonitor();
            };
        } catch (Throwable t) {
            throw Screens.unexpected(t);
        }
    }

    private List<Monitor> rootMonitor() {
        return List.of(new Monitor(0, "screen-0", desktop, 1.0, true, toolkitScale));
    }

    /** A named rectangle as a source lists it, before ids and the primary flag are settled. */
    record Found(String name, Rect bounds, boolean primary) {}

    /** Numbers them in order and makes sure exactly one is primary (the first, if none says so). */
    private List<Monitor> numbered(List<Found> found) {
        int primary = Math.max(0, indexOfPrimary(found));
        List<Monitor> monitors = new ArrayList<>(found.size());
        for (int i = 0; i < found.size(); i++) {
            Found f = found.get(i);
            monitors.add(new Monitor(i, f.name, f.bounds, 1.0, i == primary, toolkitScale));
        }
        return List.copyOf(monitors);
    }

    private static int indexOfPrimary(List<Found> found) {
        for (int i = 0; i < found.size(); i++) {
            if (found.get(i).primary) {
                return i;
            }
        }
        return -1;
    }

    /** Xinerama's heads, or none when libXinerama is missing or Xinerama is inactive. */
    private List<Monitor> xineramaHeads() throws Throwable {
        if (x.xineramaIsActive.isEmpty() || (int) x.xineramaIsActive.get().invokeExact(display) == 0) {
            return List.of();
        }
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment count = temp.allocate(JAVA_INT);
            MemorySegment infos = (MemorySegment) x.xineramaQueryScreens.get().invokeExact(display, count);
            int n = count.get(JAVA_INT, 0);
            if (infos.equals(MemorySegment.NULL)) {
                return List.of();
            }
            // XineramaScreenInfo: int screen_number; short x_org, y_org, width, height
            MemorySegment all = infos.reinterpret(n * X11.XINERAMA_INFO_SIZE);
            List<Found> found = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                long base = i * X11.XINERAMA_INFO_SIZE;
                Rect bounds = new Rect(all.get(JAVA_SHORT, base + 4), all.get(JAVA_SHORT, base + 6),
                        all.get(JAVA_SHORT, base + 8) & 0xFFFF, all.get(JAVA_SHORT, base + 10) & 0xFFFF);
                // Xinerama has no primary flag; its first head is the primary monitor (RandR orders it first)
                found.add(new Found("screen-" + all.get(JAVA_INT, base), bounds, i == 0));
            }
            int ignored = (int) x.free.invokeExact(infos);
            return numbered(found);
        }
    }

    /** {@code Xft.dpi / 96} from the resources Xlib read at connection time, or 1.0 when unset or unreadable. */
    private double toolkitScale(MemorySegment display) {
        try {
            MemorySegment resources = (MemorySegment) x.resourceManagerString.invokeExact(display);
            return resources.equals(MemorySegment.NULL) ? 1.0 : toolkitScale(resources.reinterpret(Long.MAX_VALUE)
                    .getString(0));
        } catch (Throwable t) {
            throw Screens.unexpected(t);
        }
    }

    /** Parses the {@code Xft.dpi} line of an X resource string ({@code "Xft.dpi:\t144\n..."}). */
    static double toolkitScale(String resources) {
        for (String line : resources.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equals("Xft.dpi")) {
                try {
                    double dpi = Double.parseDouble(line.substring(colon + 1).strip());
                    return dpi > 0 ? dpi / 96.0 : 1.0;
                } catch (NumberFormatException e) {
                    return 1.0;
                }
            }
        }
        return 1.0;
    }
}
