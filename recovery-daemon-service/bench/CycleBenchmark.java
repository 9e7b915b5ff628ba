import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark of the recovery daemon (not a test): loads ZONES zones x 5 replicas x BELIEFS beliefs (3
 * replicas agree, 2 are perturbed by up to 0.5) through the public route, then runs full cycles through
 * POST /system/daemon/cycle until no zone needs a recovery, printing each cycle's time. Each round loads
 * a fresh set of zones; all rounds but the last are a warm-up of the service's JIT.
 * Run by bench/run.sh against a service started on its own port and database; source-launched:
 * java CycleBenchmark.java [base-url] [zones] [beliefs] [service-pid] [rounds=2, the first a warm-up]
 */
public class CycleBenchmark {

    public static void main(String[] args) throws Exception {
        String base = args.length > 0 ? args[0] : "http://localhost:18083";
        int zones = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int beliefs = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        long servicePid = args.length > 3 ? Long.parseLong(args[3]) : -1;
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 2;
        HttpClient http = HttpClient.newHttpClient();
        Random random = new Random(42);
        for (int round = 1; round <= rounds; round++) {
            System.out.printf("== round %d of %d%s%n", round, rounds,
                    round < rounds ? " (warm-up: the JIT compiles the cycle's code)" : " (measured)");
            round(http, random, base, zones, beliefs, servicePid);
        }
    }

    /** Loads a fresh set of zones, then runs full cycles until none needs a recovery. */
    private static void round(HttpClient http, Random random, String base, int zones, int beliefs, long servicePid)
            throws Exception {
        int replicas = 5;
        String run = Long.toString(System.nanoTime(), 36);

        long loadStart = System.nanoTime();
        Semaphore inFlight = new Semaphore(32);
        List<CompletableFuture<HttpResponse<String>>> reports = new ArrayList<>();
        for (int z = 0; z < zones; z++) {
            double[] base64 = new double[beliefs];
            for (int b = 0; b < beliefs; b++) {
                base64[b] = 0.25 + 0.5 * random.nextDouble();
            }
            for (int r = 0; r < replicas; r++) {
                StringBuilder body = new StringBuilder("{\"assistant_id\":\"a" + r + "\",\"beliefs\":{");
                for (int b = 0; b < beliefs; b++) {
                    double v = r >= 3 ? Math.min(1, Math.max(0, base64[b] + random.nextDouble() - 0.5)) : base64[b];
                    body.append(b == 0 ? "" : ",").append("\"belief_").append(b).append("\":")
                            .append(String.format(Locale.ROOT, "%.6f", v));
                }
                body.append("}}");
                inFlight.acquire();
                reports.add(http.sendAsync(post(base + "/system/daemon/zones/bench-" + run + "-" + z + "/beliefs",
                        body.toString()), HttpResponse.BodyHandlers.ofString())
                        .whenComplete((res, t) -> inFlight.release()));
            }
        }
        for (CompletableFuture<HttpResponse<String>> f : reports) {
            HttpResponse<String> res = f.get();
            if (res.statusCode() != 200) {
                throw new IllegalStateException("report answered " + res.statusCode() + ": " + res.body());
            }
        }
        System.out.printf(Locale.ROOT, "loaded %d zones x %d replicas x %d beliefs in %.1f s%n", zones, replicas,
                beliefs, (System.nanoTime() - loadStart) / 1e9);

        int cycle = 0;
        long worst = 0;
        while (true) {
            long start = System.nanoTime();
            long cpuStart = cpuMs(servicePid);
            HttpResponse<String> res = http.send(post(base + "/system/daemon/cycle", ""),
                    HttpResponse.BodyHandlers.ofString());
            long clientMs = (System.nanoTime() - start) / 1_000_000;
            long serviceCpuMs = cpuMs(servicePid) - cpuStart;
            if (res.statusCode() != 200) {
                throw new IllegalStateException("cycle answered " + res.statusCode() + ": " + res.body());
            }
            String s = res.body();
            long recovered = field(s, "recovered");
            long serverMs = field(s, "duration_ms");
            if (recovered == 0) {
                System.out.printf(Locale.ROOT, "check    zones_checked=%d recovered=0 server=%d ms round-trip=%d ms%n",
                        field(s, "zones_checked"), serverMs, clientMs);
                break;
            }
            cycle++;
            worst = Math.max(worst, serverMs);
            System.out.printf(Locale.ROOT,
                    "cycle %d  zones_checked=%d recovered=%d resyncs_applied=%d conflicts=%d server=%d ms round-trip=%d ms"
                    + " service-cpu=%d ms load=%s%n",
                    cycle, field(s, "zones_checked"), recovered, field(s, "resyncs_applied"), field(s, "conflicts"),
                    serverMs, clientMs, serviceCpuMs, load());
            if (cycle > 50) {
                throw new IllegalStateException("no convergence after 50 cycles");
            }
        }
        String overview = http.send(HttpRequest.newBuilder(URI.create(base + "/system/daemon")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("\"zone\":\"bench-" + run + "-\\d+\",\"status\":\"(\\w+)\"").matcher(overview);
        int converged = 0;
        int seen = 0;
        while (m.find()) {
            seen++;
            converged += m.group(1).equals("converged") ? 1 : 0;
        }
        System.out.printf(Locale.ROOT, "cycles to convergence: %d (goal <= 6); slowest full cycle: %d ms (goal <= 1000);"
                + " %d of %d zones converged%n", cycle, worst, converged, seen);
    }

    /** CPU time (user + system, all threads) the service process has used, from /proc; -1 if unknown. */
    private static long cpuMs(long pid) {
        if (pid < 0) {
            return -1;
        }
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10; // clock ticks of 10 ms
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The 1-minute load average: the machine is shared, so figures are read against it. */
    private static String load() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    private static HttpRequest post(String url, String json) {
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    private static long field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return Long.parseLong(m.group(1));
    }
}
