package dev.pixelsense.cli;

import dev.pixelsense.screen.Button;
import dev.pixelsense.screen.Input;
import dev.pixelsense.screen.Point;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "click", mixinStandardHelpOptions = true,
        description = "Click at a point: desktop points, points of a monitor or region, or fractions 0-1 of it.")
final class ClickCommand implements Callable<Integer> {
    @Mixin
    InputOption input;

    @Mixin
    PointOption where;

    @Parameters(index = "0", paramLabel = "X")
    double x;

    @Parameters(index = "1", paramLabel = "Y")
    double y;

    @Option(names = "--button", paramLabel = "B", defaultValue = "left", description = "left, middle or right (default: ${DEFAULT-VALUE}).")
    String button;

    @Option(names = "--count", paramLabel = "N", defaultValue = "1", description = "1, 2 or 3 (default: ${DEFAULT-VALUE}).")
    int count;

    @Override
    public Integer call() {
        Button b = Button.parse(button);
        try (Input in = input.open()) {
            Point point = where.point(in, x, y);
            in.click(point, b, count);
            System.out.println("Clicked " + b.name().toLowerCase(Locale.ROOT) + (count > 1 ? " x" + count : "")
                    + " at " + in.resolve(point));
        }
        return 0;
    }
}
