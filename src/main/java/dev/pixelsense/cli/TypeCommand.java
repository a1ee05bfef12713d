package dev.pixelsense.cli;

import dev.pixelsense.screen.Input;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "type", mixinStandardHelpOptions = true,
        description = "Type text into the focused window, any Unicode character included (newlines are Enter).")
final class TypeCommand implements Callable<Integer> {
    @Mixin
    InputOption input;

    @Parameters(index = "0", paramLabel = "TEXT")
    String text;

    @Override
    public Integer call() {
        try (Input in = input.open()) {
            in.type(text);
        }
        return 0;
    }
}
