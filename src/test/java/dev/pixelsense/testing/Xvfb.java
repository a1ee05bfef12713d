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
