package dev.pixelsense.testing;

import dev.pixelsense.Pixelsense;
import dev.pixelsense.api.ApiServer;
import dev.pixelsense.config.PixelsenseConfig;
import java.util.Map;

/** A real pixelsense server on a free loopback port, configured from YAML text. */
public final class TestServer implements AutoCloseable {
    private final Pixelsense px;
    private final ApiServer api;

    private TestServer(Pixelsense px, ApiServer api) {
        this.px = px;
        this.api = api;
    }

    /** Starts a server from YAML; {@code port: 0} is added unless the YAML has a server section. */
    public static TestServer start(String yaml) {
        return start(yaml, Map.of());
    }

    public static TestServer start(String yaml, Map<String, String> env) {
        String text = yaml.contains("server:") ? yaml : "server:\n  port: 0\n" + yaml;
        PixelsenseConfig config = Pixelsense.loader(env::get).parse("test.yaml", text);
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
