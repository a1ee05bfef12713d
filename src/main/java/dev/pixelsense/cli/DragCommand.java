package dev.pixelsense.cli;

import dev.pixelsense.screen.Button;
import dev.pixelsense.screen.Input;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "drag", mixinStandardHelpOptions = true,
        description = "Press at X1 Y1, move to X2 Y2 in steps, release (points as for 'pixelsense click').")
final class DragCommand implements Callable<Integer> {
    @Mixin
    InputOption input;

    @Mixin
    PointOption where;

    @Parameters(index = "0", paramLabel = "X1")
    double x1;

    @Parameters(index = "1", paramLabel = "Y1")
    double y1;

    @Parameters(index = "2", paramLabel = "X2")
    double x2;

    @Parameters(index = "3", paramLabel = "Y2")
    double y2;

    @Option(names = "--button", paramLabel = "B", defaultValue = "left", description = "left, middle or right (default: ${DEFAULT-VALUE}).")
    String button;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "" + Input.DEFAULT_DRAG_STEPS,
            description = "Moves from start to end (default: ${DEFAULT-VALUE}).")
    int steps;

    @Override
    public Integer call() {
        Button b = Button.parse(button);
        try (Input in = input.open()) {
            in.drag(where.point(in, x1, y1), where.point(in, x2, y2), b, steps);
        }
        return 0;
    }
}
