package dev.pixelsense.testing;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Xvfb on a free display number, for screen tests. Missing Xvfb fails the test (scripts/test
 * installs it): screen code must never pass by being skipped.
 */
public final class Xvfb implements AutoCloseable {
    private final Process process;
    private final String display;

    private Xvfb(Process process, String display) {
        this.process = process;
        this.display = display;
    }

    /** {@code Xvfb :N -nolisten tcp ARGS...}, e.g. {@code "+xinerama", "-screen", "0", "1920x1080x24"}. */
    public static Xvfb start(String... args) throws IOException, InterruptedException {
        Path binary = Path.of("/usr/bin/Xvfb");
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException("Xvfb is not installed: run scripts/test (it installs xvfb) or"
                    + " apt-get install xvfb");
        }
        for (int n = 90 + (int) (ProcessHandle.current().pid() % 200); ; n++) {
            if (Files.exists(Path.of("/tmp/.X" + n + "-lock")) || Files.exists(socket(n))) {
                continue;
            }
            List<String> command = new ArrayList<>(List.of(binary.toString(), ":" + n, "-nolisten", "tcp"));
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline && p.isAlive()) {
                if (accepts(n)) {
                    return new Xvfb(p, ":" + n);
                }
                Thread.sleep(20);
            }
            p.destroyForcibly().waitFor();
            if (n > 500) {
                throw new IllegalStateException("Xvfb did not start on any display up to :" + n);
            }
            // another process took this number between our check and Xvfb's lock: try the next
        }
    }

    private static Path socket(int n) {
        return Path.of("/tmp/.X11-unix/X" + n);
    }

    private static boolean accepts(int n) {
        try (SocketChannel ignored = SocketChannel.open(UnixDomainSocketAddress.of(socket(n)))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Runs an X client tool of /usr/bin on this display ({@code xrandr}, {@code xrdb}) with
     * {@code input} on its stdin, failing with its output when it fails.
     */
    public void run(String input, String tool, String... args) throws IOException, InterruptedException {
        Path binary = Path.of("/usr/bin", tool);
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException(tool + " is not installed: run scripts/test (it installs"
                    + " x11-xserver-utils) or apt-get install x11-xserver-utils");
        }
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("DISPLAY", display);
        Process p = builder.start();
        p.getOutputStream().write(input.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(tool + " " + String.join(" ", args) + " failed: " + output);
        }
    }

    /**
     * Two side-by-side monitors on one 3200x1080 screen, laid out with RandR: "left" 1920x1080 at
     * 0,0 (primary, monitor 0) and "right" 1280x1024 at 1920,0 (monitor 1).
     */
    public static Xvfb sideBySide() throws IOException, InterruptedException {
        Xvfb xvfb = start("-noreset", "-screen", "0", "3200x1080x24");
        try {
            xvfb.run("", "xrandr", "--setmonitor", "*left", "1920/508x1080/286+0+0", "screen");
            xvfb.run("", "xrandr", "--setmonitor", "right", "1280/339x1024/271+1920+0", "none");
            return xvfb;
        } catch (IOException | RuntimeException e) {
            xvfb.close();
            throw e;
        }
    }

    /** The display name, e.g. {@code :93}. */
    public String display() {
        return display;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
