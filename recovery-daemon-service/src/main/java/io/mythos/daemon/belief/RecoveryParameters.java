package io.mythos.daemon.belief;

/**
 * The numbers the recovery maths is tuned by (from the daemon's configuration): the divergence at or
 * below which a zone is converged, the one above which it is diverged, the fraction of its realignment
 * vector a replica moves by per resync, and the cycles without a fall that make a zone stalled.
 */
public record RecoveryParameters(double epsilon, double divergenceThreshold, double resyncRate, int stallCycles) {
}
