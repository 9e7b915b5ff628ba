package io.mythos.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a benchmark series' CPU went: user + system time of each service JVM, of the PostgreSQL backends
 * serving the system's database, and of this (the client's) JVM, read from {@code /proc/<pid>/stat} before
 * and after the series. Linux only; elsewhere the account is empty. A backend that appears during the series
 * counts from zero; one that ends during it is lost (the services' pools keep theirs open).
 */
final class CpuAccount {

    /** Clock ticks per second of /proc's utime and stime (USER_HZ, 100 on every Linux we run on). */
    private static final double TICKS_PER_SECOND = 100;

    private final Map<String, Long> ticksByPart;
    /** The database's committed transactions (pg_stat_database.xact_commit; its counters lag by up to a second). */
    private final long commits;

    private CpuAccount(Map<String, Long> ticksByPart, long commits) {
        this.ticksByPart = ticksByPart;
        this.commits = commits;
    }

    static CpuAccount take(MythosSystem sys) {
        Map<String, Long> ticks = new LinkedHashMap<>();
        for (ServiceProcess p : List.of(sys.healing(), sys.loadBalancer(), sys.daemon())) {
            ticks.put(p.module, ticks(p.pid()));
        }
        // of the services' time, what their JIT compilers and garbage collectors took (by thread name)
        for (ServiceProcess p : List.of(sys.healing(), sys.loadBalancer(), sys.daemon())) {
            ticks.merge(" of which JIT", threadTicks(p.pid(), "C1 CompilerThre", "C2 CompilerThre"), Long::sum);
            ticks.merge(" of which GC", threadTicks(p.pid(), "GC Thread", "G1 ", "VM Thread"), Long::sum);
        }
        ticks.put("client (this JVM)", ticks(ProcessHandle.current().pid()));
        long pg = 0;
        // the backends of the system's database; on an embedded server or a remote one we may not see them
        for (String pid : sys.pg.strings(sys.db, "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                + "AND pid <> pg_backend_pid()")) {
            pg += ticks(Long.parseLong(pid));
        }
        ticks.put("postgres backends", pg);
        return new CpuAccount(ticks, sys.pg.count(sys.db, "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"));
    }

    /** CPU milliseconds per spike of each part since {@code before}, and their sum. */
    String perSpike(CpuAccount before, int spikes) {
        StringBuilder out = new StringBuilder("  CPU per spike:");
        double services = 0;
        for (var e : ticksByPart.entrySet()) {
            double ms = (e.getValue() - before.ticksByPart.getOrDefault(e.getKey(), 0L)) * 1000 / TICKS_PER_SECOND / spikes;
            if (!e.getKey().startsWith("client") && !e.getKey().startsWith(" of which")) {
                services += ms;
            }
            out.append(String.format(" %s %.1f ms,", e.getKey(), ms));
        }
        return out.append(String.format(" services + postgres %.1f ms; %.1f transactions committed per spike%n", services,
                (double) (commits - before.commits) / spikes)).toString();
    }

    /** utime + stime of the threads of a process whose names start with one of {@code names}. */
    private static long threadTicks(long pid, String... names) {
        long sum = 0;
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String comm = Files.readString(task.resolve("comm")).strip();
                    for (String n : names) {
                        if (comm.startsWith(n)) {
                            sum += ticks(task.resolve("stat"));
                            break;
                        }
                    }
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return sum;
    }

    private static long ticks(long pid) {
        return ticks(Path.of("/proc", Long.toString(pid), "stat"));
    }

    /** utime + stime of a process, in clock ticks; 0 when it cannot be read. */
    private static long ticks(Path statFile) {
        try {
            String stat = Files.readString(statFile);
            // the fields after the command name (which may hold spaces) in parentheses; utime and stime are 14 and 15
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
