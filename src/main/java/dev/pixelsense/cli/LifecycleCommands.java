package dev.pixelsense.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code pixelsense load MODEL} and {@code pixelsense unload MODEL}: one action on a running server's model. */
final class LifecycleCommands {
    private LifecycleCommands() {
    }

    abstract static class ModelAction implements Callable<Integer> {
        @Mixin
        ServerOption server;

        @Parameters(paramLabel = "MODEL", description = "Model id or alias.")
        String model;

        abstract String action();

        @Override
        public Integer call() {
            // keep slashes: model ids may be org/name, and the route takes them as they are
            String id = URLEncoder.encode(model, StandardCharsets.UTF_8).replace("%2F", "/");
            server.call("POST", "/api/models/" + id + "/" + action());
            System.out.println(action() + "ed " + model);
            return 0;
        }
    }

    @Command(name = "load", mixinStandardHelpOptions = true, description = "Load a model in a running server now.")
    static final class Load extends ModelAction {
        @Override
        String action() {
            return "load";
        }
    }

    @Command(name = "unload", mixinStandardHelpOptions = true,
            description = "Unload a model in a running server (its runner stops; memory is returned).")
    static final class Unload extends ModelAction {
        @Override
        String action() {
            return "unload";
        }
    }
}
