package dev.pixelsense.screen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pixelsense.testing.ChildJvm;
import dev.pixelsense.testing.RawHttp;
import dev.pixelsense.testing.TestServer;
import dev.pixelsense.testing.Xvfb;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The screen through the HTTP API and the command line, and the errors when there is no display. */
class ScreenAccessTest {
    private static final String KEY = "screen-test-key-0123456789";
    private static Xvfb xvfb;

    @BeforeAll
    static void startDisplay() throws Exception {
        xvfb = Xvfb.start("+xinerama", "-screen", "0", "1920x1080x24", "-screen", "1", "1280x1024x24");
        System.setProperty("pixelsense.display", xvfb.display());
    }

    @AfterAll
    static void stopDisplay() throws Exception {
        System.clearProperty("pixelsense.display");
        xvfb.close();
    }

    @Test
    void should_list_the_monitors_over_http_to_a_loopback_client() throws Exception {
        try (TestServer server = TestServer.start("")) {
            RawHttp.Response response = RawHttp.get(server.port(), "/api/monitors", Map.of());
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            JsonNode data = new ObjectMapper().readTree(response.body()).get("data");
            assertThat(data).hasSize(2);
            assertThat(data.get(1).toString()).isEqualTo(
                    "{\"id\":1,\"name\":\"screen-1\",\"x\":0,\"y\":0,\"width\":1280,\"height\":1024,\"scale\":1.0,"
                            + "\"primary\":false,\"toolkit_scale\":1.0}");
        }
    }

    @Test
    void should_refuse_the_screen_to_a_client_on_another_address_even_with_a_key() throws Exception {
        InetAddress external = NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress()).findFirst()
                .orElseThrow(() -> new IllegalStateException("this test needs a non-loopback IPv4 address"));
        try (TestServer server = TestServer.start("server:\n  host: 0.0.0.0\n  port: 0\n  api_keys: [" + KEY + "]\n");
                HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                    URI.create("http://" + external.getHostAddress() + ":" + server.port() + "/api/monitors"))
                    .header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
            assertThat(response.body()).contains("screen_loopback_only");
        }
    }

    @Test
    void should_print_the_monitor_table() throws Exception {
        ChildJvm.Result result = ChildJvm.run(Map.of(), "dev.pixelsense.cli.Main", "monitors", "--display",
                xvfb.display());
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("0   screen-0           0       0   1920   1080   1.0 yes     1.0")
                .contains("1   screen-1           0       0   1280   1024   1.0         1.0");
    }

    @Test
    void should_say_what_to_do_without_a_display() throws Exception {
        ChildJvm.Result none = ChildJvm.run(Map.of(), "dev.pixelsense.cli.Main", "screenshot");
        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(none.output().strip()).startsWith("pixelsense: No display: DISPLAY is not set.")
                .contains("Xvfb :99").doesNotContain("\n").doesNotContain("Exception");

        ChildJvm.Result wayland = ChildJvm.run(Map.of("WAYLAND_DISPLAY", "wayland-0"), "dev.pixelsense.cli.Main",
                "monitors");
        assertThat(wayland.exitCode()).isEqualTo(1);
        assertThat(wayland.output()).contains("Wayland session without XWayland").contains("enable XWayland");
    }

    @Test
    void should_say_when_the_display_cannot_be_opened() throws Exception {
        ChildJvm.Result result = ChildJvm.run(Map.of(), "dev.pixelsense.cli.Main", "monitors", "--display", ":4999");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output().strip()).isEqualTo("pixelsense: Cannot open X display ':4999': is the X server"
                + " running, and may this user connect to it (XAUTHORITY, xhost)?");
    }
}
