package dev.pixelsense.cli;

import dev.pixelsense.screen.Screen;
import picocli.CommandLine.Option;

/** Which display and capture backend the screen commands use. */
final class ScreenOption {
    @Option(names = "--display", paramLabel = "NAME", description = "X11 display (default: $DISPLAY).")
    String display;

    @Option(names = "--backend", paramLabel = "B", defaultValue = "AUTO",
            description = "Capture backend: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}: X11 shared memory,"
                    + " else Robot).")
    Screen.Backend backend;

    Screen open() {
        return Screen.open(display, backend);
    }
}
