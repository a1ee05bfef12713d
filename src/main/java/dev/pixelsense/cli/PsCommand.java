package dev.pixelsense.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pixelsense.config.ByteSizes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "ps", mixinStandardHelpOptions = true,
        description = "List the models loaded in a running server, with memory and expiry.")
final class PsCommand implements Callable<Integer> {
    @Mixin
    ServerOption server;

    @Override
    public Integer call() {
        JsonNode models = server.call("GET", "/api/ps").path("models");
        if (models.isEmpty()) {
            System.out.println("No models loaded.");
            return 0;
        }
        String format = "%-28s %-13s %8s %6s %10s %8s  %s%n";
        System.out.printf(format, "ID", "RUNNER", "PID", "PORT", "MEMORY", "RUNNING", "UNLOADS AT");
        for (JsonNode m : models) {
            System.out.printf(format, m.path("id").asText(), m.path("runner").asText(), m.path("pid").asLong(),
                    m.path("port").asInt(), m.path("memory_bytes").asLong() < 0 ? "?"
                            : ByteSizes.formatApprox(m.path("memory_bytes").asLong()),
                    m.path("running").asInt(), m.path("expires_at").isNull() ? "never" : m.path("expires_at").asText());
        }
        return 0;
    }
}
