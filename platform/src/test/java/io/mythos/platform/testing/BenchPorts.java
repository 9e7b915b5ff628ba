package io.mythos.platform.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.ServerSocket;

/** For benchmarks that start a service on a fixed port. */
public final class BenchPorts {

    private BenchPorts() {
    }

    /**
     * Refuses a port that another process holds: whatever listens there would answer the readiness probe
     * and the load instead of the service under test, and the figures would be its own.
     */
    public static void refuseBusy(int port, String variable) {
        try (ServerSocket probe = new ServerSocket(port)) {
            probe.setReuseAddress(true);
        } catch (BindException e) {
            throw new IllegalStateException("port " + port + " is taken by another process: free it or set " + variable);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
