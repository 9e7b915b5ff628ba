package io.mythos.daemon.belief;

/** The thresholds the maths needs (from the daemon's configuration). */
public record Settings(double epsilon, double divergenceThreshold, double resyncRate, int stallCycles) {

    public static final Settings DEFAULTS = new Settings(0.02, 0.10, 0.5, 5);
}
