package dev.pixelsense.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pixelsense.Pixelsense;
import dev.pixelsense.error.UnavailableException;
import dev.pixelsense.testing.FakeUpstream;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Several deployments of one model: load-balanced, and a failing one cools down. */
class DeploymentsTest {

    private static Pixelsense open(String yaml) {
        Map<String, String> env = Map.of();
        return Pixelsense.open(Pixelsense.loader(env::get).parse("test.yaml", yaml), env::get);
    }

    @Test
    void should_spread_requests_over_healthy_deployments() throws Exception {
        try (FakeUpstream a = new FakeUpstream(); FakeUpstream b = new FakeUpstream();
             Pixelsense px = open("""
                     models:
                       - id: m
                         backend: openai
                         deployments:
                           - base_url: %s
                           - base_url: %s
                     """.formatted(a.baseUrl(), b.baseUrl()))) {
            for (int i = 0; i < 10; i++) {
                px.chat("m", "hi");
            }
            assertThat(a.received()).hasSize(5);
            assertThat(b.received()).hasSize(5);
        }
    }

    @Test
    void should_skip_a_failing_deployment_while_it_cools_down() throws Exception {
        try (FakeUpstream bad = new FakeUpstream().always((r, reply) -> reply.error(500, "broken"));
             FakeUpstream good = new FakeUpstream();
             Pixelsense px = open("""
                     models:
                       - id: m
                         backend: openai
                         cooldown: 1h
                         deployments:
                           - base_url: %s
                           - base_url: %s
                     """.formatted(bad.baseUrl(), good.baseUrl()))) {
            for (int i = 0; i < 6; i++) {
                assertThat(px.chat("m", "hi").text()).isEqualTo("hello from fake");
            }
            assertThat(bad.received()).hasSize(1);
            assertThat(good.received()).hasSize(6);
        }
    }

    @Test
    void should_say_when_every_deployment_is_cooling_down() throws Exception {
        try (FakeUpstream a = new FakeUpstream().always((r, reply) -> reply.error(503, "a down"));
             FakeUpstream b = new FakeUpstream().always((r, reply) -> reply.error(429, "b busy", "Retry-After", "60"));
             Pixelsense px = open("""
                     models:
                       - id: m
                         backend: openai
                         cooldown: 1h
                         deployments:
                           - base_url: %s
                           - base_url: %s
                     """.formatted(a.baseUrl(), b.baseUrl()))) {
            assertThatThrownBy(() -> px.chat("m", "hi")).isInstanceOf(dev.pixelsense.error.RetriableException.class);
            assertThatThrownBy(() -> px.chat("m", "hi"))
                    .isInstanceOf(UnavailableException.class)
                    .hasMessageContaining("all 2 deployments of model 'm' are cooling down");
            assertThat(a.received()).hasSize(1);
            assertThat(b.received()).hasSize(1);
        }
    }
}
