package dev.pixelsense.cli;

import dev.pixelsense.error.BadRequestException;
import dev.pixelsense.screen.Input;
import dev.pixelsense.screen.Monitor;
import dev.pixelsense.screen.Point;
import dev.pixelsense.screen.Rect;
import dev.pixelsense.screen.Target;
import picocli.CommandLine.Option;

/**
 * What X and Y mean: desktop points; with {@code --monitor N} or {@code --region}, points from that
 * rectangle's top-left corner; with {@code --normalized}, fractions 0-1 of it (of the desktop
 * without either).
 */
final class PointOption {
    @Option(names = "--monitor", paramLabel = "N", description = "X Y are relative to monitor N (see 'pixelsense monitors').")
    Integer monitor;

    @Option(names = "--region", paramLabel = "X,Y,W,H", description = "X Y are relative to this desktop region.")
    String region;

    @Option(names = "--normalized", description = "X Y are fractions 0-1 of the monitor, region or desktop.")
    boolean normalized;

    Point point(Input input, double x, double y) {
        if (monitor != null && region != null) {
            throw new IllegalArgumentException("Give --monitor or --region, not both");
        }
        Target target = monitor != null ? Target.monitor(monitor)
                : region != null ? Target.region(Rect.parse(region)) : Target.desktop();
        if (normalized) {
            return new Point.Normalized(x, y, target);
        }
        Rect origin = switch (target) {
            case Target.OfMonitor m -> input.monitors().stream().filter(it -> it.id() == m.id()).findFirst()
                    .map(Monitor::bounds).orElseThrow(() -> new BadRequestException("No monitor " + m.id()
                            + "; see 'pixelsense monitors'", "monitor"));
            case Target.Region r -> r.rect();
            case Target.Desktop d -> null;
        };
        return origin == null ? Point.at(x, y) : Point.at(origin.x() + x, origin.y() + y);
    }
}
