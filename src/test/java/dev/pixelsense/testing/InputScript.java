package dev.pixelsense.testing;

import dev.pixelsense.screen.Input;
import dev.pixelsense.screen.Point;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Run in a child JVM with DISPLAY set: opens {@link Input} with the backend of the first argument,
 * performs the other arguments in order ({@code click:X,Y}, {@code type:TEXT}, {@code key:COMBO}),
 * prints DONE, and keeps the Input open until a line arrives on stdin (so whatever it owns, such
 * as the clipboard, can be looked at).
 */
public final class InputScript {
    public static void main(String[] args) throws Exception {
        try (Input input = Input.open(null, Input.Backend.valueOf(args[0]))) {
            for (int i = 1; i < args.length; i++) {
                String verb = args[i].substring(0, args[i].indexOf(':'));
                String arg = args[i].substring(verb.length() + 1);
                switch (verb) {
                    case "click" -> input.click(Point.at(Integer.parseInt(arg.split(",")[0]),
                            Integer.parseInt(arg.split(",")[1])));
                    case "type" -> input.type(arg);
                    case "key" -> input.key(arg);
                    default -> throw new IllegalArgumentException(args[i]);
                }
            }
            System.out.println("DONE " + input.backend());
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
        System.exit(0);
    }
}
