package dev.pixelsense.testing;

import dev.pixelsense.Pixelsense;
import dev.pixelsense.api.ApiServer;
import dev.pixelsense.config.PixelsenseConfig;
import dev.pixelsense.config.ServerConfig;
import java.util.Map;

/** A real pixelsense server on a free loopback port, configured from YAML text. */
public final class TestServer implements AutoCloseable {
    private final Pixelsense px;
    private final ApiServer api;

    private TestServer(Pixelsense px, ApiServer api) {
        this.px = px;
        this.api = api;
    }

    /** Starts a server from YAML, on a free port unless the YAML names one. */
    public static TestServer start(String yaml) {
        return start(yaml, Map.of());
    }

    public static TestServer start(String yaml, Map<String, String> env) {
        PixelsenseConfig config = Pixelsense.loader(env::get).parse("test.yaml", yaml);
        if (config.server().port() == ServerConfig.DEFAULT_PORT && !yaml.contains("port: " + ServerConfig.DEFAULT_PORT)) {
            // a free port, not the default 8080 that a developer's own server may hold
            config = config.withServer(config.server().withAddress(config.server().host(), 0));
        }
        Pixelsense px = Pixelsense.open(config, env::get);
        try {
            return new TestServer(px, px.serve());
        } catch (RuntimeException e) {
            px.close();
            throw e;
        }
    }

    public String baseUrl() {
        return api.baseUrl();
    }

    public int port() {
        return api.port();
    }

    public Pixelsense pixelsense() {
        return px;
    }

    @Override
    public void close() {
        api.close();
        px.close();
    }
}
