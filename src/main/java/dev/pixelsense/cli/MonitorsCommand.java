package dev.pixelsense.cli;

import dev.pixelsense.screen.Monitor;
import dev.pixelsense.screen.Screen;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "monitors", mixinStandardHelpOptions = true,
        description = "List the monitors: id (for screenshot --monitor), bounds in the virtual desktop, scale"
                + " (what maps coordinates), primary, toolkit scale (how big toolkits draw; informational).")
final class MonitorsCommand implements Callable<Integer> {
    @Mixin
    ScreenOption screen;

    @Override
    public Integer call() {
        try (Screen s = screen.open()) {
            String format = "%-3s %-12s %7s %7s %6s %6s %5s %-7s %s%n";
            System.out.printf(format, "ID", "NAME", "X", "Y", "WIDTH", "HEIGHT", "SCALE", "PRIMARY", "TOOLKIT");
            for (Monitor m : s.monitors()) {
                System.out.printf(format, m.id(), m.name(), m.bounds().x(), m.bounds().y(), m.bounds().width(),
                        m.bounds().height(), m.scale(), m.primary() ? "yes" : "", m.toolkitScale());
            }
            return 0;
        }
    }
}
