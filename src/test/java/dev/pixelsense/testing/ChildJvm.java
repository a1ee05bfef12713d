package dev.pixelsense.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs a main class of this build in another JVM, with its own environment (e.g. DISPLAY). */
public final class ChildJvm {
    private ChildJvm() {}

    public static ProcessBuilder builder(Map<String, String> env, String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("DISPLAY");
        pb.environment().remove("WAYLAND_DISPLAY");
        pb.environment().putAll(env);
        return pb;
    }

    /** Runs to completion; returns the exit code and the combined output. */
    public static Result run(Map<String, String> env, String mainClass, String... args)
            throws IOException, InterruptedException {
        Process p = builder(env, mainClass, args).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out);
    }

    /** Starts a process and waits for a line equal to {@code ready} on its stdout. */
    public static Process startAndAwait(Map<String, String> env, String ready, String mainClass, String... args)
            throws IOException {
        Process p = builder(env, mainClass, args).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader reader = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            if (line.equals(ready)) {
                return p;
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException(mainClass + " ended without printing " + ready);
    }

    public record Result(int exitCode, String output) {}
}
