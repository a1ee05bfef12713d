package dev.pixelsense.cli;

import dev.pixelsense.Version;
import dev.pixelsense.config.ConfigException;
import dev.pixelsense.error.PixelsenseException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code pixelsense} command. Every failure a user can cause ends in one readable line on
 * stderr and a non-zero exit: 1 for a failed operation, 2 for bad usage or configuration.
 */
@Command(name = "pixelsense", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Self-hosted vision AI: sees the screen, understands it and acts on it.",
        subcommands = {ServeCommand.class, ModelsCommand.class, ChatCommand.class, PullCommand.class, PsCommand.class,
            LifecycleCommands.Load.class, LifecycleCommands.Unload.class, MonitorsCommand.class, ScreenshotCommand.class,
            ClickCommand.class, TypeCommand.class, KeyCommand.class, ScrollCommand.class, DragCommand.class,
            DescribeCommand.class, OcrCommand.class, AgentCommand.class, WorkerCommand.class, RunnerCommand.class, DoctorCommand.class, VersionCommand.class,
            CommandLine.HelpCommand.class})
public final class Main {
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (for tests). */
    public static int run(String... args) {
        if (System.getProperty("jdk.httpclient.bufsize") == null) {
            // the JDK HttpClient reads 16 KiB at a time; bench/pull measured a 1 GiB pull at 0.70x of
            // curl+openssl with that and 0.97x with 256 KiB. Set before any HttpClient exists.
            boolean pull = args.length > 0 && args[0].equals("pull");
            System.setProperty("jdk.httpclient.bufsize", Integer.toString(pull ? 256 * 1024 : 64 * 1024));
        }
        if (args.length == 0 || !args[0].equals("serve") && !args[0].equals("runner") && !args[0].equals("worker")) {
            // one-shot commands report failures themselves, in one line; the log would repeat them
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
        }
        CommandLine cli = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            commandLine.getErr().println("pixelsense: " + message(e));
            return e instanceof ConfigException || e instanceof IllegalArgumentException ? EXIT_USAGE : EXIT_FAILED;
        });
        cli.setParameterExceptionHandler((e, argv) -> {
            e.getCommandLine().getErr().println("pixelsense: " + e.getMessage()
                    + " (see '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return EXIT_USAGE;
        });
        return cli.execute(args);
    }

    private static String message(Exception e) {
        if (e instanceof PixelsenseException || e instanceof ConfigException || e instanceof IllegalArgumentException
                || e instanceof IllegalStateException) {
            return e.getMessage();
        }
        if (e instanceof java.io.IOException) {
            return "I/O error: " + e.getMessage();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"pixelsense " + Version.get() + " (Java " + Runtime.version() + ")"};
        }
    }
}
