package dev.pixelsense.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "unload", mixinStandardHelpOptions = true,
        description = "Unload a model in a running server (its runner stops; memory is returned).")
final class UnloadCommand implements Callable<Integer> {
    @Mixin
    ServerOption server;

    @Parameters(paramLabel = "MODEL")
    String model;

    @Override
    public Integer call() {
        server.call("POST", "/api/models/" + URLEncoder.encode(model, StandardCharsets.UTF_8).replace("%2F", "/")
                + "/unload");
        System.out.println("unloaded " + model);
        return 0;
    }
}
