package dev.pixelsense.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A running {@link InputWindow} or {@link FormWindow}: its events as JSON, and its commands. */
public final class InputWindowProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode END = JSON.createObjectNode().put("e", "end");

    private final Process process;
    private final Writer commands;
    private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    private JsonNode ready;

    private InputWindowProcess(Process process) {
        this.process = process;
        this.commands = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    /** Starts the window over {@code x,y,w,h} on {@code display} and waits until it is on screen. */
    public static InputWindowProcess start(String display, String bounds) throws IOException, InterruptedException {
        return start(display, Map.of(), InputWindow.class.getName(), bounds);
    }

    /**
     * Starts a window program of the test sources ({@link InputWindow}, {@link FormWindow}) with
     * extra environment (e.g. {@code JAVA_TOOL_OPTIONS=-Dsun.java2d.uiScale=2}) and waits for its
     * READY line; {@link #ready()} is that line.
     */
    public static InputWindowProcess start(String display, Map<String, String> env, String mainClass, String... args)
            throws IOException, InterruptedException {
        // a UTF-8 locale, as on any desktop: the X input method turns keysyms into text by locale
        Map<String, String> all = new java.util.HashMap<>(Map.of("DISPLAY", display, "LANG", "C.UTF-8", "LC_ALL",
                "C.UTF-8"));
        all.putAll(env);
        Process p = ChildJvm.builder(all, mainClass, args).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        InputWindowProcess window = new InputWindowProcess(p);
        Thread.ofPlatform().daemon().name("input-window-events").start(window::pump);
        JsonNode ready = window.await(e -> e.path("e").asText().equals("READY") || e == END, Duration.ofSeconds(60));
        if (ready == END) {
            throw new IllegalStateException("the window program " + mainClass + " ended before it was drawn");
        }
        window.ready = ready;
        return window;
    }

    /** The READY event (a {@link FormWindow}'s carries its components' bounds). */
    public JsonNode ready() {
        return ready;
    }

    private void pump() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.US_ASCII))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                events.add(line.equals("READY") ? JSON.createObjectNode().put("e", "READY") : JSON.readTree(line));
            }
        } catch (IOException e) {
            // the process ended
        }
        events.add(END);
    }

    /** Sends one command line. */
    public synchronized void command(String line) throws IOException {
        commands.write(line + "\n");
        commands.flush();
    }

    /** Forgets the events received so far. */
    public void drain() {
        events.clear();
    }

    /** Waits for an event matching {@code match}, dropping the ones before it. */
    public JsonNode await(Predicate<JsonNode> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<JsonNode> skipped = new ArrayList<>();
        while (true) {
            JsonNode e = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (e == null) {
                throw new AssertionError("no matching window event within " + timeout + "; got " + skipped);
            }
            if (match.test(e)) {
                return e;
            }
            if (e == END) {
                throw new AssertionError("the input window ended; got " + skipped);
            }
            skipped.add(e);
        }
    }

    /** Waits for an event of type {@code type} ({@code pressed}, {@code keyTyped}, ...). */
    public JsonNode await(String type) throws InterruptedException {
        return await(e -> e.path("e").asText().equals(type), Duration.ofSeconds(20));
    }

    /** The events up to and including the first of type {@code last}. */
    public List<JsonNode> until(String last) throws InterruptedException {
        List<JsonNode> all = new ArrayList<>();
        await(e -> {
            all.add(e);
            return e.path("e").asText().equals(last);
        }, Duration.ofSeconds(20));
        return all;
    }

    /** The text field's text, asked for after everything sent so far was handled by the window. */
    public String text() throws IOException, InterruptedException {
        command("text");
        return await("text").path("value").asText();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }
}
