package io.mythos.platform.testing;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class BenchPortsTest {

    @Test
    void aPortAnotherProcessHoldsIsRefusedNamingTheVariable() throws Exception {
        try (ServerSocket other = new ServerSocket(0)) {
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> BenchPorts.refuseBusy(other.getLocalPort(), "BENCH_PORT"));
            assertTrue(refused.getMessage().contains("BENCH_PORT"), refused.getMessage());
        }
    }

    @Test
    void aFreePortPasses() throws Exception {
        int free;
        try (ServerSocket probe = new ServerSocket(0)) {
            free = probe.getLocalPort();
        }
        int port = free;
        assertDoesNotThrow(() -> BenchPorts.refuseBusy(port, "BENCH_PORT"));
    }
}
