package dev.pixelsense.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * A real {@code redis-server} on a free loopback port, for one test class: without persistence (no
 * RDB, no AOF), or with an append-only file fsynced on every write ({@link #startPersistent}), which
 * can be killed and started again on the same port and data. scripts/test installs the Debian package.
 */
public final class RedisServer implements AutoCloseable {
    private final Process process;
    private final int port;
    private final List<String> command;

    private RedisServer(Process process, int port, List<String> command) {
        this.process = process;
        this.port = port;
        this.command = command;
    }

    public static RedisServer start() throws IOException, InterruptedException {
        return launch(freePort(), List.of("--save", "", "--appendonly", "no"));
    }

    /** Redis with {@code appendonly yes} and {@code appendfsync always}, its files in {@code dir}. */
    public static RedisServer startPersistent(java.nio.file.Path dir) throws IOException, InterruptedException {
        return launch(freePort(), List.of("--save", "", "--appendonly", "yes", "--appendfsync", "always",
                "--dir", dir.toAbsolutePath().toString()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** SIGKILLs this Redis (no shutdown save) and starts it again on the same port and files. */
    public RedisServer killAndRestart(Duration down) throws IOException, InterruptedException {
        process.destroyForcibly().waitFor();
        Thread.sleep(down.toMillis());
        return start(port, command);
    }

    private static RedisServer launch(int port, List<String> options) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("redis-server", "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--loglevel", "warning"));
        command.addAll(options);
        return start(port, command);
    }

    private static RedisServer start(int port, List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("redis-server exited at once (code " + p.exitValue() + ")");
            }
            if (ping(port)) {
                return new RedisServer(p, port, command);
            }
            Thread.sleep(20);
        }
        p.destroyForcibly();
        throw new IllegalStateException("redis-server did not answer PING on port " + port + " within 10 s");
    }

    private static boolean ping(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] reply = in.readNBytes(7);
            return new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }

    public int port() {
        return port;
    }

    public URI uri() {
        return URI.create("redis://127.0.0.1:" + port);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
