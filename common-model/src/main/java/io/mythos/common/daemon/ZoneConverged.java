package io.mythos.common.daemon;

/** The recover route's answer when the zone needed nothing. */
public record ZoneConverged(String networkZone, ZoneStatus status, double divergence) {
}
