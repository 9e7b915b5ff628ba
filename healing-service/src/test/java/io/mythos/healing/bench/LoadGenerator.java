package io.mythos.healing.bench;

import io.mythos.platform.testing.TestTokens;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop HTTP/1.1 load on {@code POST /system/health/signals}: each of {@code connections} threads
 * keeps one keep-alive connection and sends its next request when the previous answer is read, until
 * the duration is over; the request in flight then completes, so that the 202s counted are exactly the
 * requests the service accepted. The signals are {@code entropy_spike} below the threshold: ingestion,
 * not repairs. A raw socket client, so that the client's own cost stays small next to the service's.
 */
final class LoadGenerator {

    record Result(long requests, long accepted, long otherStatus, double durationSeconds, int batch, double p50Millis,
                  double p99Millis) {

        double requestsPerSecond() {
            return accepted / durationSeconds;
        }

        /** What Loadgen.java used to print, one {@code key=value} a line. */
        String report() {
            return String.format(Locale.ROOT, """
                            requests=%d
                            accepted_requests=%d
                            other_status=%d
                            duration_s=%.3f
                            requests_per_s=%.0f
                            signals_per_s=%.0f
                            latency_p50_ms=%.2f
                            latency_p99_ms=%.2f""", requests, accepted, otherStatus, durationSeconds,
                    requestsPerSecond(), requestsPerSecond() * batch, p50Millis, p99Millis);
        }
    }

    private final String host;
    private final int port;
    private final int connections;

    LoadGenerator(String host, int port, int connections) {
        this.host = host;
        this.port = port;
        this.connections = connections;
    }

    /** Sends {@code batch} signals per request for {@code assistant}, on nodes named after {@code run}. */
    Result run(double seconds, int batch, String assistant, String run) throws InterruptedException {
        byte[] request = request(batch, assistant, run);
        AtomicLong accepted = new AtomicLong();
        AtomicLong other = new AtomicLong();
        long[][] latencies = new long[connections][];
        int[] counts = new int[connections];
        Thread[] threads = new Thread[connections];
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        for (int c = 0; c < connections; c++) {
            int id = c;
            threads[c] = new Thread(() -> {
                long[] lat = new long[1 << 16];
                int n = 0;
                try (Socket socket = new Socket(host, port)) {
                    socket.setTcpNoDelay(true);
                    OutputStream out = socket.getOutputStream();
                    InputStream in = new BufferedInputStream(socket.getInputStream(), 16384);
                    while (System.nanoTime() < deadline) {
                        long t0 = System.nanoTime();
                        out.write(request);
                        out.flush();
                        int status = readResponse(in);
                        if (n == lat.length) {
                            lat = Arrays.copyOf(lat, n * 2);
                        }
                        lat[n++] = System.nanoTime() - t0;
                        (status == 202 ? accepted : other).incrementAndGet();
                    }
                } catch (IOException e) {
                    System.err.println("connection " + id + ": " + e);
                }
                latencies[id] = lat;
                counts[id] = n;
            });
            threads[c].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] all = new long[Arrays.stream(counts).sum()];
        int k = 0;
        for (int c = 0; c < connections; c++) {
            System.arraycopy(latencies[c], 0, all, k, counts[c]);
            k += counts[c];
        }
        Arrays.sort(all);
        return new Result(all.length, accepted.get(), other.get(), elapsed, batch, percentile(all, 50), percentile(all, 99));
    }

    private byte[] request(int batch, String assistant, String run) {
        StringBuilder body = new StringBuilder(batch > 1 ? "[" : "");
        for (int i = 0; i < batch; i++) {
            if (i > 0) {
                body.append(',');
            }
            body.append(String.format(Locale.ROOT,
                    "{\"node_id\":\"%s-node-%d\",\"assistant_id\":\"%s\",\"kind\":\"entropy_spike\",\"value\":0.42,\"detail\":\"loadgen\"}",
                    run, i % 50, assistant));
        }
        if (batch > 1) {
            body.append(']');
        }
        byte[] payload = body.toString().getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST /system/health/signals HTTP/1.1\r\nHost: " + host + ":" + port
                + "\r\nContent-Type: application/json\r\nAuthorization: " + TestTokens.authorization()
                + "\r\nContent-Length: " + payload.length + "\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] request = Arrays.copyOf(head, head.length + payload.length);
        System.arraycopy(payload, 0, request, head.length, payload.length);
        return request;
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, i)] / 1e6;
    }

    /** Reads one response (Content-Length or chunked); answers its status. */
    private static int readResponse(InputStream in) throws IOException {
        String headers = readHead(in);
        int status = Integer.parseInt(headers.substring(9, 12));
        String lower = headers.toLowerCase(Locale.ROOT);
        int cl = lower.indexOf("\r\ncontent-length:");
        if (cl >= 0) {
            int end = lower.indexOf("\r\n", cl + 2);
            skip(in, Long.parseLong(lower.substring(cl + 17, end).trim()));
        } else if (lower.contains("transfer-encoding: chunked")) {
            while (true) {
                long size = Long.parseLong(readLine(in).trim(), 16);
                skip(in, size);
                readLine(in);
                if (size == 0) {
                    break;
                }
            }
        }
        return status;
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
        int state = 0; // how much of "\r\n\r\n" has been read
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed");
            }
            buf.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1
                    : (b == '\r' ? 1 : 0);
        }
        return buf.toString(StandardCharsets.ISO_8859_1);
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                sb.append((char) b);
            }
        }
        return sb.toString();
    }

    private static void skip(InputStream in, long n) throws IOException {
        while (n > 0) {
            long s = in.skip(n);
            if (s <= 0) {
                if (in.read() < 0) {
                    throw new IOException("connection closed");
                }
                s = 1;
            }
            n -= s;
        }
    }
}
