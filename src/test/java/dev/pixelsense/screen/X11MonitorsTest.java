package dev.pixelsense.screen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixelsense.testing.Xvfb;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Where X11 monitors come from (RandR, else Xinerama, else the root window), under real Xvfb
 * servers laid out with {@code xrandr --setmonitor} and given an {@code Xft.dpi} with {@code xrdb}.
 * Each Xvfb runs with {@code -noreset}: an Xvfb resets when its last client disconnects, which
 * would drop those settings and refuse the next connection for a moment.
 */
class X11MonitorsTest {

    @Test
    void should_fall_back_to_xinerama_when_randr_sees_only_the_first_of_several_x_screens() throws Exception {
        // server-side Xinerama: RandR describes screen 0 only, so Xinerama's heads are the truth
        try (Xvfb xvfb = Xvfb.start("-noreset", "+xinerama", "-screen", "0", "1920x1080x24", "-screen", "1", "1280x1024x24")) {
            List<Monitor> heads = withDisplay(xvfb, d -> X11Monitors.open(d, xvfb.display(), X11Monitors.Source.XINERAMA)
                    .list());
            try (Screen screen = Screen.open(xvfb.display(), Screen.Backend.X11_SHM)) {
                List<Monitor> monitors = screen.monitors();

                assertWellFormed(monitors);
                assertThat(monitors).extracting(Monitor::bounds).containsExactlyElementsOf(
                        heads.stream().map(Monitor::bounds).toList());
                assertThat(monitors).extracting(Monitor::bounds)
                        .containsExactly(new Rect(0, 0, 1920, 1080), new Rect(0, 0, 1280, 1024));
            }
            X11Monitors.Source chosen = withDisplay(xvfb, d -> X11Monitors.open(d, xvfb.display()).source());
            assertThat(chosen).isEqualTo(X11Monitors.Source.XINERAMA);
        }
    }

    @Test
    void should_name_randr_monitors_and_flag_the_primary_with_xinerama_bounds() throws Exception {
        try (Xvfb xvfb = Xvfb.start("-noreset", "-screen", "0", "3200x1080x24")) {
            run(xvfb, "", "xrandr", "--setmonitor", "left", "1920/508x1080/286+0+0", "screen");
            run(xvfb, "", "xrandr", "--setmonitor", "*right", "1280/339x1024/271+1920+0", "none");
            List<Monitor> heads = withDisplay(xvfb, d -> X11Monitors.open(d, xvfb.display(), X11Monitors.Source.XINERAMA)
                    .list());
            try (Screen screen = Screen.open(xvfb.display(), Screen.Backend.X11_SHM)) {
                List<Monitor> monitors = screen.monitors();

                assertWellFormed(monitors);
                // the primary first, as the server lists them: ids are the same as Xinerama's
                assertThat(monitors).containsExactly(
                        new Monitor(0, "right", new Rect(1920, 0, 1280, 1024), 1.0, true, 1.0),
                        new Monitor(1, "left", new Rect(0, 0, 1920, 1080), 1.0, false, 1.0));
                assertThat(monitors).extracting(Monitor::bounds).containsExactlyElementsOf(
                        heads.stream().map(Monitor::bounds).toList());
                assertThat(screen.capture(Target.monitor(0)).bounds()).isEqualTo(new Rect(1920, 0, 1280, 1024));
            }
            X11Monitors.Source chosen = withDisplay(xvfb, d -> X11Monitors.open(d, xvfb.display()).source());
            assertThat(chosen).isEqualTo(X11Monitors.Source.RANDR_MONITORS);
        }
    }

    @Test
    void should_read_the_same_monitor_from_randr_outputs_and_randr_monitors() throws Exception {
        try (Xvfb xvfb = Xvfb.start("-noreset", "-screen", "0", "1600x900x24")) {
            List<Monitor> fromMonitors = withDisplay(xvfb, d -> X11Monitors.open(d, xvfb.display()).list());
            List<Monitor> fromOutputs = withDisplay(xvfb, d -> {
                X11Monitors m = X11Monitors.open(d, xvfb.display(), X11Monitors.Source.RANDR_OUTPUTS);
                assertThat(m.source()).isEqualTo(X11Monitors.Source.RANDR_OUTPUTS);
                return m.list();
            });

            // Xvfb's one output is called "screen" and is not marked primary: the only monitor is
            assertThat(fromMonitors).containsExactly(new Monitor(0, "screen", new Rect(0, 0, 1600, 900), 1.0, true, 1.0));
            assertThat(fromOutputs).isEqualTo(fromMonitors);
        }
    }

    @Test
    void should_report_xft_dpi_as_toolkit_scale_without_changing_the_coordinate_scale() throws Exception {
        try (Xvfb xvfb = Xvfb.start("-noreset", "-screen", "0", "1280x720x24")) {
            run(xvfb, "Xft.dpi: 144\n", "xrdb", "-nocpp", "-merge");
            try (Screen screen = Screen.open(xvfb.display(), Screen.Backend.X11_SHM)) {
                Monitor only = screen.monitors().getFirst();

                assertThat(only.toolkitScale()).isEqualTo(1.5);
                assertThat(only.scale()).isEqualTo(1.0);
                assertThat(only.bounds()).isEqualTo(new Rect(0, 0, 1280, 720));
            }
        }
    }

    @Test
    void should_parse_xft_dpi_from_a_resource_string() {
        assertThat(X11Monitors.toolkitScale("Xft.antialias:\t1\nXft.dpi:\t192\n")).isEqualTo(2.0);
        assertThat(X11Monitors.toolkitScale("Xft.dpi: 120")).isEqualTo(1.25);
        assertThat(X11Monitors.toolkitScale("Xcursor.size:\t24\n")).isEqualTo(1.0);
        assertThat(X11Monitors.toolkitScale("Xft.dpi:\tlarge\n")).isEqualTo(1.0);
        assertThat(X11Monitors.toolkitScale("")).isEqualTo(1.0);
    }

    private static void assertWellFormed(List<Monitor> monitors) {
        assertThat(monitors).isNotEmpty();
        assertThat(monitors).extracting(Monitor::name).allSatisfy(name -> assertThat(name).isNotBlank())
                .doesNotHaveDuplicates();
        assertThat(monitors).filteredOn(Monitor::primary).hasSize(1);
        assertThat(monitors).extracting(Monitor::id)
                .containsExactlyElementsOf(IntStream.range(0, monitors.size()).boxed().toList());
    }

    /** Opens a raw connection for reading one source directly, and closes it. */
    private static <T> T withDisplay(Xvfb xvfb, Function<MemorySegment, T> body) throws Exception {
        X11 x = X11.get();
        MemorySegment display = x.open(xvfb.display());
        try {
            x.trapErrors(display);
            return body.apply(display);
        } catch (Throwable t) {
            throw t instanceof Exception e ? e : new IllegalStateException(t);
        } finally {
            x.untrap(display);
            close(x, display);
        }
    }

    private static void close(X11 x, MemorySegment display) throws Exception {
        try {
            int ignored = (int) x.closeDisplay.invokeExact(display);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Runs an X client tool (x11-xserver-utils: scripts/test installs it) on the Xvfb, {@code input} on its stdin. */
    private static void run(Xvfb xvfb, String input, String tool, String... args) throws IOException,
            InterruptedException {
        xvfb.run(input, tool, args);
    }
}
