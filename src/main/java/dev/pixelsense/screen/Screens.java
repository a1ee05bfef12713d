package dev.pixelsense.screen;

import dev.pixelsense.error.BadRequestException;
import dev.pixelsense.error.NotFoundException;
import dev.pixelsense.error.UnavailableException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Chooses the implementation for this platform and holds the policy every implementation shares. */
final class Screens {
    private static final Logger log = LoggerFactory.getLogger(Screen.class);
    private static final AtomicBoolean logged = new AtomicBoolean();

    private Screens() {}

    static Screen open(String display, Screen.Backend backend) {
        if (isMacOrWindows()) {
            if (backend == Screen.Backend.X11_SHM) {
                throw new UnavailableException("The x11-shm screen backend needs Linux with X11; use robot here");
            }
            return chosen(RobotScreen.open(), "");
        }
        String name = displayName(display);
        if (backend != Screen.Backend.ROBOT) {
            try {
                return chosen(X11ShmScreen.open(name), " on " + name);
            } catch (X11ShmScreen.SharedMemoryUnavailable | IllegalStateException e) {
                if (backend == Screen.Backend.X11_SHM) {
                    throw new UnavailableException("X11 shared-memory capture is not available on " + name + ": "
                            + e.getMessage());
                }
                log.info("Screen capture: X11 shared memory is not available on {} ({}); using java.awt.Robot", name,
                        e.getMessage());
            }
        }
        requireJvmDisplay(name, "screen");
        return chosen(RobotScreen.open(), " on " + name);
    }

    static boolean isMacOrWindows() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        return os.contains("mac") || os.contains("win");
    }

    /** The X display to use: {@code display}, else the {@code pixelsense.display} property, else {@code $DISPLAY}. */
    static String displayName(String display) {
        // the property lets an embedding application (or a test) pick a display without its own env
        String env = System.getProperty("pixelsense.display", System.getenv("DISPLAY"));
        String name = display != null && !display.isBlank() ? display : env;
        if (name == null || name.isBlank()) {
            throw noDisplay();
        }
        return name;
    }

    /** Robot works on the display AWT opened, {@code $DISPLAY}, and no other. */
    static void requireJvmDisplay(String name, String what) {
        String jvmDisplay = System.getenv("DISPLAY");
        if (!name.equals(jvmDisplay)) {
            throw new UnavailableException("The robot " + what + " backend works on the JVM's own DISPLAY ("
                    + jvmDisplay + ") only; set DISPLAY=" + name + " before starting pixelsense");
        }
    }

    private static UnavailableException noDisplay() {
        String wayland = System.getenv("WAYLAND_DISPLAY");
        if (wayland != null && !wayland.isBlank()) {
            return new UnavailableException("This is a Wayland session without XWayland (WAYLAND_DISPLAY is set,"
                    + " DISPLAY is not). pixelsense captures through X11: enable XWayland in your compositor, or"
                    + " log in to an X11 session.");
        }
        return new UnavailableException("No display: DISPLAY is not set. Run pixelsense inside a desktop session,"
                + " or point it at an X server, e.g. 'Xvfb :99 & export DISPLAY=:99'.");
    }

    private static Screen chosen(Screen screen, String where) {
        if (logged.compareAndSet(false, true)) {
            log.info("Screen capture: {}{}", screen.backend().equals("x11-shm")
                    ? "X11 shared memory (MIT-SHM)" : "java.awt.Robot", where);
        }
        return screen;
    }

    /** The logical rectangle a target stands for, checked against the desktop. */
    static Rect resolve(Target target, Rect desktop, Supplier<List<Monitor>> monitors) {
        return switch (target) {
            case Target.Desktop d -> desktop;
            case Target.OfMonitor m -> {
                List<Monitor> all = monitors.get();
                yield all.stream().filter(it -> it.id() == m.id()).findFirst()
                        .orElseThrow(() -> new NotFoundException("No monitor " + m.id() + "; the monitors are "
                                + all.stream().map(it -> it.id() + " (" + it.bounds().width() + "x"
                                        + it.bounds().height() + " at " + it.bounds().x() + "," + it.bounds().y() + ")")
                                        .collect(Collectors.joining(", ")), "monitor", "monitor_not_found"))
                        .bounds();
            }
            case Target.Region r -> {
                if (!desktop.contains(r.rect())) {
                    throw new BadRequestException("The region " + r.rect() + " is not inside the desktop " + desktop,
                            "region");
                }
                yield r.rect();
            }
        };
    }

    /** {@code recycle}'s array when it holds {@code r}, else a new one. */
    static int[] pixelArray(Rect r, Frame recycle) {
        int size = r.width() * r.height();
        return recycle != null && recycle.pixels().length >= size ? recycle.pixels() : new int[size];
    }

    static IllegalStateException unexpected(Throwable t) {
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("native screen call failed: " + t, t);
    }
}
