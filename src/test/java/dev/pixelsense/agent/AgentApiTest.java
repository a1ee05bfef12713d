package dev.pixelsense.agent;

import static dev.pixelsense.testing.ScriptedModel.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pixelsense.testing.ChildJvm;
import dev.pixelsense.testing.Cli;
import dev.pixelsense.testing.RawHttp;
import dev.pixelsense.testing.ScriptedModel;
import dev.pixelsense.testing.TestServer;
import dev.pixelsense.testing.Xvfb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's HTTP API and command line, against a real display and a scripted model. */
class AgentApiTest {
    private static final Map<String, String> KEY = Map.of("Authorization", "Bearer secret-key-0123456789");
    private static Xvfb xvfb;
    private static ScriptedModel model;
    @TempDir
    static Path traces;

    @BeforeAll
    static void start() throws Exception {
        xvfb = Xvfb.start("-screen", "0", "1280x720x24");
        System.setProperty("pixelsense.display", xvfb.display());
        model = new ScriptedModel();
    }

    @AfterAll
    static void stop() throws Exception {
        model.close();
        System.clearProperty("pixelsense.display");
        xvfb.close();
    }

    @BeforeEach
    void reset() {
        model.clear();
    }

    private static String config(String server, boolean enabled) {
        return """
                server:
                  port: 0
                %s
                models:
                  - id: scripted
                    backend: openai
                    base_url: %s
                vision:
                  model: scripted
                agent:
                  enabled: %s
                  traces_dir: %s
                """.formatted(server.indent(2), model.baseUrl(), enabled, traces);
    }

    @Test
    void should_keep_the_agent_api_off_unless_enabled_and_then_require_keys() throws Exception {
        try (TestServer server = TestServer.start(config("", false))) {
            RawHttp.Response r = RawHttp.post(server.port(), "/agent/runs", "{\"goal\":\"x\"}", Map.of());
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.error().path("code").asText()).isEqualTo("agent_disabled");
        }
        assertThatThrownBy(() -> TestServer.start(config("", true))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("agent.enabled needs server.api_keys");
    }

    @Test
    void should_start_follow_report_and_stop_runs_over_http() throws Exception {
        try (TestServer server = TestServer.start(config("api_keys: [secret-key-0123456789]", true))) {
            int port = server.port();
            assertThat(RawHttp.post(port, "/agent/runs", "{\"goal\":\"x\"}", Map.of()).status()).isEqualTo(401);
            RawHttp.Response unknown = RawHttp.post(port, "/agent/runs", "{\"goal\":\"x\",\"max_step\":3}", KEY);
            assertThat(unknown.status()).isEqualTo(400);
            assertThat(unknown.error().path("param").asText()).isEqualTo("max_step");
            assertThat(RawHttp.post(port, "/agent/runs", "{}", KEY).error().path("param").asText()).isEqualTo("goal");
            assertThat(RawHttp.post(port, "/agent/runs", "{\"goal\":\"x\",\"monitor\":7}", KEY).status()).isEqualTo(404);

            model.then(call("click", "x", 0.5, "y", 0.5)).then(call("goal_reached", "summary", "all done"));
            RawHttp.Response created = RawHttp.post(port, "/agent/runs", "{\"goal\":\"Click the middle\","
                    + "\"dry_run\":true,\"max_steps\":5}", KEY);
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            String id = created.json().path("id").asText();
            assertThat(created.header("Location")).isEqualTo("/agent/runs/" + id);

            RawHttp.Response events = RawHttp.get(port, "/agent/runs/" + id + "/events", KEY);
            assertThat(events.header("Content-Type")).startsWith("text/event-stream");
            assertThat(events.body()).contains("event: run\n", "event: action\n", "Dry run: planned click(",
                    "event: end\n", "\"status\":\"succeeded\"", "\"message\":\"all done\"");
            RawHttp.Response run = RawHttp.get(port, "/agent/runs/" + id, KEY);
            assertThat(run.json().path("status").asText()).isEqualTo("succeeded");
            assertThat(run.json().path("steps").asInt()).isEqualTo(2);
            RawHttp.Response report = RawHttp.get(port, "/agent/runs/" + id + "/report", KEY);
            assertThat(report.status()).isEqualTo(200);
            assertThat(report.header("Content-Type")).startsWith("text/html");
            assertThat(report.header("Content-Security-Policy")).contains("default-src 'none'");
            assertThat(report.body()).contains("Click the middle", "data:image/jpeg;base64,");
            assertThat(RawHttp.get(port, "/agent/runs", KEY).json().path("data").get(0).path("id").asText())
                    .isEqualTo(id);
            assertThat(RawHttp.get(port, "/agent/runs/run_nope", KEY).status()).isEqualTo(404);

            // a run waiting on its model: a second one is refused, DELETE stops it
            model.thenRaw((request, reply) -> reply.holdUntilClientGone(false));
            String held = RawHttp.post(port, "/agent/runs", "{\"goal\":\"Wait\",\"dry_run\":true}", KEY).json()
                    .path("id").asText();
            RawHttp.Response busy = RawHttp.post(port, "/agent/runs", "{\"goal\":\"Another\"}", KEY);
            assertThat(busy.status()).isEqualTo(409);
            assertThat(busy.error().path("code").asText()).isEqualTo("agent_busy");
            RawHttp.Response stopped = RawHttp.send(port, "DELETE", "/agent/runs/" + held, KEY, null);
            assertThat(stopped.json().path("status").asText()).isEqualTo("stopped");
            assertThat(stopped.json().path("message").asText()).contains("DELETE");
        }
    }

    @Test
    void should_run_from_the_command_line_with_live_steps() throws Exception {
        Path file = traces.resolve("cli.yaml");
        Files.writeString(file, config("", false));
        model.then(call("click", "x", 0.25, "y", 0.75)).then(call("goal_reached", "summary", "clicked it"));
        Cli.Captured ok = Cli.run("agent", "Click the lower left area", "--dry-run", "--config", file.toString());
        assertThat(ok.code()).as(ok.out() + ok.err()).isZero();
        assertThat(ok.out()).contains("agent run_", "DRY RUN", "step 1", "click(0.250, 0.750) -> Dry run: planned",
                "succeeded after 2 steps", "report ");

        Path none = traces.resolve("none.yaml");
        Files.writeString(none, "agent:\n  traces_dir: " + traces + "\n");
        Cli.Captured failed = Cli.run("agent", "Anything", "--config", none.toString());
        assertThat(failed.code()).isNotZero();
        // the last line (the run before may still log its end on its own thread)
        String[] lines = failed.err().strip().split("\n");
        assertThat(lines[lines.length - 1]).startsWith("pixelsense: No model for the agent");
        assertThat(failed.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void should_stop_on_ctrl_c_and_still_write_the_report() throws Exception {
        Path file = traces.resolve("interrupt.yaml");
        Files.writeString(file, config("", false));
        model.thenRaw((request, reply) -> reply.holdUntilClientGone(false));
        Process p = ChildJvm.builder(Map.of("DISPLAY", xvfb.display()), "dev.pixelsense.cli.Main", "agent",
                "Wait for the model", "--config", file.toString()).redirectErrorStream(true).start();
        java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line = out.readLine(); line != null && !line.contains("trace "); line = out.readLine()) {
            seen.append(line).append('\n');
        }
        while (model.requests().isEmpty()) {
            Thread.sleep(20);
        }
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            seen.append(line).append('\n');
        }
        assertThat(p.waitFor()).isNotZero();
        assertThat(seen.toString()).contains("stopped after 1 step ", "stopped with Ctrl+C", "report ");
    }

    @Test
    void should_stop_at_max_duration_even_while_the_model_is_thinking() throws Exception {
        model.thenRaw((request, reply) -> reply.holdUntilClientGone(false));
        try (TestServer server = TestServer.start(config("", false))) {
            AgentRun run = server.pixelsense().agent().start(AgentRequest.of("Think long").withMaxDuration("1s")
                    .withDryRun(true), null);
            assertThat(run.await(java.time.Duration.ofSeconds(15))).isTrue();
            assertThat(run.status()).isEqualTo(AgentRun.Status.LIMIT_REACHED);
            assertThat(run.message()).isEqualTo("max duration (1 s) reached");
        }
    }
}
