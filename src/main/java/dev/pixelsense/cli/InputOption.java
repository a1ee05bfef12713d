package dev.pixelsense.cli;

import dev.pixelsense.screen.Input;
import picocli.CommandLine.Option;

/** Which display and input backend the input commands use. */
final class InputOption {
    @Option(names = "--display", paramLabel = "NAME", description = "X11 display (default: $DISPLAY).")
    String display;

    @Option(names = "--backend", paramLabel = "B", defaultValue = "AUTO",
            description = "Input backend: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}: XTest, else Robot).")
    Input.Backend backend;

    Input open() {
        return Input.open(display, backend);
    }
}
