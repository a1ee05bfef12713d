package dev.pixelsense.cli;

import dev.pixelsense.Pixelsense;
import dev.pixelsense.api.ApiServer;
import dev.pixelsense.config.PixelsenseConfig;
import dev.pixelsense.config.ServerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the OpenAI-compatible API server (default http://127.0.0.1:8080).")
final class ServeCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--host", description = "Bind address (default: server.host, 127.0.0.1). "
            + "Anything but loopback needs API keys.")
    String host;

    @Option(names = {"-p", "--port"}, description = "Port (default: server.port, 8080; 0 picks a free one).")
    Integer port;

    @Option(names = "--api-key", paramLabel = "KEY", description = "An accepted Bearer key (repeatable); "
            + "also read from $PIXELSENSE_API_KEY.")
    List<String> apiKeys = new ArrayList<>();

    @Option(names = "--redis", paramLabel = "URL", description = "Queue jobs in this Redis "
            + "(redis://[:password@]host[:port][/db]) for 'pixelsense worker' processes; default: jobs.redis, "
            + "else in-process.")
    java.net.URI redis;

    @Override
    public Integer call() throws InterruptedException {
        PixelsenseConfig cfg = config.load();
        ServerConfig server = cfg.server();
        List<String> keys = new ArrayList<>(server.apiKeys());
        for (String key : apiKeys) {
            keys.add(checked(key, "--api-key"));
        }
        String envKey = System.getenv("PIXELSENSE_API_KEY");
        if (envKey != null && !envKey.isBlank()) {
            keys.add(checked(envKey, "PIXELSENSE_API_KEY"));
        }
        server = server.withAddress(host != null ? host : server.host(), port != null ? port : server.port())
                .withApiKeys(keys);
        cfg = cfg.withServer(server);
        if (redis != null) {
            cfg = cfg.withJobs(cfg.jobs().withRedis(redis));
        }
        Pixelsense px = Pixelsense.open(cfg, System::getenv);
        ApiServer api;
        try {
            api = px.serve();
        } catch (RuntimeException e) {
            px.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            api.close();
            px.close();
            stopped.countDown();
        }, "pixelsense-shutdown"));
        System.err.println("pixelsense: serving " + cfg.models().size() + " model(s) from " + cfg.source()
                + " at " + api.baseUrl() + "/v1  (Ctrl+C to stop)");
        stopped.await();
        return 0;
    }

    /** The same rule as server.api_keys in the config: a short key guards nothing on a network. */
    private static String checked(String key, String from) {
        if (key.length() < 16) {
            throw new IllegalArgumentException("API keys must be at least 16 characters long (" + from + ")");
        }
        return key;
    }
}
