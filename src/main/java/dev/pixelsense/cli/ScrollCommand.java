package dev.pixelsense.cli;

import dev.pixelsense.screen.Input;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "scroll", mixinStandardHelpOptions = true,
        description = "Turn the mouse wheel at a point (X Y as for 'pixelsense click').")
final class ScrollCommand implements Callable<Integer> {
    @Mixin
    InputOption input;

    @Mixin
    PointOption where;

    @Parameters(index = "0", paramLabel = "X")
    double x;

    @Parameters(index = "1", paramLabel = "Y")
    double y;

    @Option(names = "--dy", paramLabel = "N", defaultValue = "0", description = "Notches down (negative: up).")
    int dy;

    @Option(names = "--dx", paramLabel = "N", defaultValue = "0", description = "Notches right (negative: left).")
    int dx;

    @Override
    public Integer call() {
        if (dx == 0 && dy == 0) {
            throw new IllegalArgumentException("Say how far to scroll: --dy N (down; negative: up) or --dx N (right)");
        }
        try (Input in = input.open()) {
            in.scroll(where.point(in, x, y), dx, dy);
        }
        return 0;
    }
}
