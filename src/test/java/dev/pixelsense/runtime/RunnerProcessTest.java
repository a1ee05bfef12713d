package dev.pixelsense.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RunnerProcessTest {

    /** Lines llama.cpp's server wrote for one request through the built-in runner (serve's log). */
    @ParameterizedTest
    @ValueSource(strings = {
            "slot launch_slot_: id  0 | task 30583 | processing task",
            "slot update_slots: id  0 | task 30583 | new prompt, n_ctx_slot = 1024, n_keep = 0, n_prompt_tokens = 85",
            "slot update_slots: id  0 | task 30583 | kv cache rm [0, end)",
            "slot      release: id  0 | task 30566 | stop processing: n_past = 100, truncated = 0",
            "slot print_timing: id  0 | task 30566 | ",
            "prompt eval time =      32.53 ms /    85 tokens (    0.38 ms per token,  2612.73 tokens per second)",
            "       eval time =      40.19 ms /    16 tokens (    2.51 ms per token,   398.13 tokens per second)",
            "      total time =      72.72 ms /   101 tokens",
            "srv  update_slots: all slots are idle",
            "srv  log_server_r: request: POST /v1/chat/completions 127.0.0.1 200"})
    void should_take_per_request_lines_for_debug(String line) {
        assertThat(RunnerProcess.perRequest(line)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "llama_model_loader: - kv   0:                       general.architecture str              = llama",
            "srv    load_model: loading model '/tmp/tiny.gguf'",
            "system_info: n_threads = 2 (n_threads_batch = 2) / 2 | CPU : SSE3 = 1 |",
            "slot update_slots: id  0 | task 7 | failed to find free space in the KV cache",
            "srv  update_slots: error: context shift is disabled",
            "runner ready on port 41234",
            ""})
    void should_keep_everything_else_at_info(String line) {
        assertThat(RunnerProcess.perRequest(line)).isFalse();
    }
}
