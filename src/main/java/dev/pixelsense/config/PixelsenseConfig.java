package dev.pixelsense.config;

import java.util.List;
import java.util.Optional;

/** The whole configuration: server settings, the declared models and each capability's section. Immutable. */
public record PixelsenseConfig(String source, ServerConfig server, List<ModelConfig> models, StoreConfig store,
                               VisionConfig vision, AgentConfig agent, JobsConfig jobs) {

    public PixelsenseConfig {
        models = List.copyOf(models);
    }

    public static PixelsenseConfig defaults() {
        return new PixelsenseConfig("<built-in defaults>", ServerConfig.defaults(), List.of(),
                new StoreConfig(StoreConfig.defaultDir(System::getenv), List.of()), VisionConfig.DEFAULT, AgentConfig.defaults(),
                JobsConfig.DEFAULT);
    }

    public Optional<ModelConfig> model(String id) {
        return models.stream().filter(m -> m.id().equals(id)).findFirst();
    }

    public PixelsenseConfig withJobs(JobsConfig newJobs) {
        return new PixelsenseConfig(source, server, models, store, vision, agent, newJobs);
    }

    public PixelsenseConfig withServer(ServerConfig newServer) {
        return new PixelsenseConfig(source, newServer, models, store, vision, agent, jobs);
    }
}
