package dev.pixelsense.api;

import dev.pixelsense.config.ServerConfig;
import dev.pixelsense.error.AuthenticationException;
import dev.pixelsense.error.PermissionException;
import io.javalin.http.Context;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Who may talk to the server, checked before every route:
 * <ul>
 *   <li><b>Host</b>: a name this server answers to (loopback names, the bind address,
 *       {@code server.allowed_hosts}), so a DNS-rebinding page cannot reach us through its own name;</li>
 *   <li><b>Origin</b>: browsers' cross-origin requests are refused unless the origin is in
 *       {@code server.cors_origins}, which then gets CORS headers and preflight answers;</li>
 *   <li><b>API key</b>: with {@code server.api_keys} set, {@code Authorization: Bearer KEY} on every
 *       route but {@code /health} and {@code /ready}.</li>
 * </ul>
 */
final class Security {
    private static final Set<String> OPEN_PATHS = Set.of("/health", "/ready");
    /** 127.0.0.0/8 as an address literal; a name such as 127.evil.example must not pass. */
    private static final java.util.regex.Pattern LOOPBACK_V4 =
            java.util.regex.Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

    private final Set<String> hosts = new HashSet<>();
    private final boolean anyHost;
    private final Set<String> corsOrigins;
    private final List<byte[]> keys;

    Security(ServerConfig server) {
        hosts.addAll(List.of("localhost", "127.0.0.1", "[::1]", "::1"));
        hosts.add(server.host().toLowerCase(Locale.ROOT));
        server.allowedHosts().forEach(h -> hosts.add(h.toLowerCase(Locale.ROOT)));
        boolean wildcardBind = server.host().equals("0.0.0.0") || server.host().equals("::")
                || server.host().equals("[::]");
        this.anyHost = server.allowedHosts().contains("*") || wildcardBind && server.allowedHosts().isEmpty();
        this.corsOrigins = Set.copyOf(server.corsOrigins());
        this.keys = server.apiKeys().stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
    }

    /** Refuses a non-loopback bind without API keys: the API would be open to the network. */
    static void checkBind(ServerConfig server) {
        if (!server.apiKeys().isEmpty()) {
            return;
        }
        boolean loopback;
        try {
            loopback = InetAddress.getByName(server.host()).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve bind address '" + server.host() + "'");
        }
        if (!loopback) {
            throw new IllegalArgumentException("refusing to listen on " + server.host() + " without API keys: "
                    + "anyone on the network could use the models and the screen. Set server.api_keys "
                    + "(or PIXELSENSE_API_KEY), or bind 127.0.0.1");
        }
    }

    /** Returns true if the request was fully answered here (a CORS preflight). */
    boolean check(Context ctx) {
        checkHost(ctx.header("Host"));
        String origin = ctx.header("Origin");
        boolean preflight = ctx.method().name().equals("OPTIONS") && ctx.header("Access-Control-Request-Method") != null;
        if (origin != null && !sameOrigin(origin, ctx.header("Host"))) {
            if (!corsOrigins.contains(origin)) {
                throw new PermissionException("Cross-origin requests from " + origin
                        + " are not allowed; add the origin to server.cors_origins to allow it", "origin_not_allowed");
            }
            ctx.header("Access-Control-Allow-Origin", origin);
            ctx.header("Vary", "Origin");
            if (preflight) {
                ctx.header("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS");
                ctx.header("Access-Control-Allow-Headers", "Authorization, Content-Type");
                ctx.header("Access-Control-Max-Age", "600");
                ctx.status(204);
                return true;
            }
        } else if (origin == null && "cross-site".equals(ctx.header("Sec-Fetch-Site"))) {
            throw new PermissionException("Cross-site browser requests are not allowed", "origin_not_allowed");
        }
        if (!keys.isEmpty() && !OPEN_PATHS.contains(ctx.path())) {
            checkKey(ctx.header("Authorization"));
        }
        return false;
    }

    private void checkHost(String hostHeader) {
        if (anyHost || hostHeader == null) {
            return;
        }
        String name = hostName(hostHeader);
        if (!hosts.contains(name) && !LOOPBACK_V4.matcher(name).matches()) {
            throw new PermissionException("Host '" + hostHeader + "' is not a name of this server; add it to "
                    + "server.allowed_hosts if you reach the server through it", "host_not_allowed");
        }
    }

    private void checkKey(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new AuthenticationException("Missing API key: send 'Authorization: Bearer <key>'");
        }
        byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        boolean ok = false;
        for (byte[] key : keys) {
            ok |= MessageDigest.isEqual(key, given);
        }
        if (!ok) {
            throw new AuthenticationException("Incorrect API key provided");
        }
    }

    private static boolean sameOrigin(String origin, String host) {
        if (host == null) {
            return false;
        }
        String lower = origin.toLowerCase(Locale.ROOT);
        String h = host.toLowerCase(Locale.ROOT);
        return lower.equals("http://" + h) || lower.equals("https://" + h);
    }

    private static String hostName(String hostHeader) {
        String h = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(0, end + 1);
        }
        int colon = h.lastIndexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }
}
