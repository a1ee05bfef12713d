package dev.pixelsense.jobs;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Job ids: {@code job_} + 24 random hex digits (unguessable: an id is the capability to read a result). */
final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    static String newJobId() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return "job_" + HexFormat.of().formatHex(bytes);
    }

    /** A worker's consumer name: host, pid and a random suffix, unique across restarts. */
    static String consumerName() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        byte[] bytes = new byte[3];
        RANDOM.nextBytes(bytes);
        return host + "-" + ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(bytes);
    }
}
