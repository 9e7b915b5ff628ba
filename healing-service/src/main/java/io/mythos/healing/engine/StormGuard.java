package io.mythos.healing.engine;

/**
 * The storm guard of an assistant group: when more than {@code fraction} of the group's registered
 * assistants have an active event that fired within the storm window, a shared cause is likelier than
 * many individual ones, and the group's new repair actions are held. A group in a storm stays in it
 * until the fraction falls to {@code fraction} or below (then its held actions are released) or an
 * operator releases it. A storm needs at least {@code minAffected} affected assistants: one assistant's
 * trouble alone is never a shared cause, whatever the size of its group.
 */
public final class StormGuard {

    private StormGuard() {
    }

    /** What a group's figures mean for it. */
    public record Figures(long affected, long registered) {

        public double fraction() {
            return registered == 0 ? 0 : (double) affected / registered;
        }
    }

    public static boolean overFraction(Figures f, double fraction, int minAffected) {
        return f.registered() > 0 && f.affected() >= minAffected && f.affected() > fraction * f.registered();
    }

    /** Whether the group's new actions are held: it is in a storm already, or this firing puts it over the fraction. */
    public static boolean holds(boolean inStorm, Figures f, double fraction, int minAffected) {
        return inStorm || overFraction(f, fraction, minAffected);
    }

    /** Whether a group in a storm has calmed, so that its held actions are released. */
    public static boolean calm(Figures f, double fraction, int minAffected) {
        return !overFraction(f, fraction, minAffected);
    }
}
