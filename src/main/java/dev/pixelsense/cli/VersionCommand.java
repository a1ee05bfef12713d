package dev.pixelsense.cli;

import dev.pixelsense.Version;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "version", description = "Print the version.")
final class VersionCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println("pixelsense " + Version.get() + " (Java " + Runtime.version() + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ")");
        return 0;
    }
}
