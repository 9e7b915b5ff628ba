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
 * Closed-loop HTTP/1.1 load generator for the signal benchmark (run from source: java Loadgen.java).
 * Each of CONNECTIONS threads keeps one keep-alive connection and sends its next request when the
 * previous answer is read, until the duration is over; the request in flight then completes, so
 * that the 202s counted are exactly the requests the service accepted.
 * A warm-up of WARMUP seconds (default 5; the JIT of both JVMs) runs first with the warm-up assistant,
 * whose rows are not counted. Usage:
 * java Loadgen.java host port connections seconds batch assistant runId [warmupAssistant warmupSeconds]
 */
public class Loadgen {

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int connections = Integer.parseInt(args[2]);
        double seconds = Double.parseDouble(args[3]);
        int batch = Integer.parseInt(args[4]);
        String assistant = args[5];
        String run = args[6];
        if (args.length > 8) {
            run(host, port, connections, Double.parseDouble(args[8]), batch, args[7], run, false);
        }
        run(host, port, connections, seconds, batch, assistant, run, true);
    }

    static void run(String host, int port, int connections, double seconds, int batch, String assistant, String run,
                    boolean report) throws Exception {

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
                + "\r\nContent-Type: application/json\r\nContent-Length: " + payload.length + "\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] request = new byte[head.length + payload.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(payload, 0, request, head.length, payload.length);

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
                        long t = System.nanoTime() - t0;
                        if (n == lat.length) {
                            lat = Arrays.copyOf(lat, n * 2);
                        }
                        lat[n++] = t;
                        if (status == 202) {
                            accepted.incrementAndGet();
                        } else {
                            other.incrementAndGet();
                        }
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
        if (!report) {
            return;
        }
        int total = 0;
        for (int n : counts) {
            total += n;
        }
        long[] all = new long[total];
        int k = 0;
        for (int c = 0; c < connections; c++) {
            System.arraycopy(latencies[c], 0, all, k, counts[c]);
            k += counts[c];
        }
        Arrays.sort(all);
        System.out.printf(Locale.ROOT, "requests=%d%naccepted_requests=%d%nother_status=%d%nduration_s=%.3f%n", total,
                accepted.get(), other.get(), elapsed);
        System.out.printf(Locale.ROOT, "requests_per_s=%.0f%nsignals_per_s=%.0f%n", accepted.get() / elapsed,
                accepted.get() * batch / elapsed);
        System.out.printf(Locale.ROOT, "latency_p50_ms=%.2f%nlatency_p99_ms=%.2f%n", pct(all, 50), pct(all, 99));
    }

    private static double pct(long[] sorted, double p) {
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
        int state = 0;
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
