package dev.pixelsense.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "load", mixinStandardHelpOptions = true, description = "Load a model in a running server now.")
final class LoadCommand implements Callable<Integer> {
    @Mixin
    ServerOption server;

    @Parameters(paramLabel = "MODEL")
    String model;

    @Override
    public Integer call() {
        server.call("POST", "/api/models/" + URLEncoder.encode(model, StandardCharsets.UTF_8).replace("%2F", "/")
                + "/load");
        System.out.println("loaded " + model);
        return 0;
    }
}
