package io.mythos.healing.engine;

/** Verification's figure: the share of verified repairs that were effective. */
public final class Effectiveness {

    private Effectiveness() {
    }

    /** effective / (effective + ineffective); null when no repair has been judged yet. */
    public static Double share(long effective, long ineffective) {
        long judged = effective + ineffective;
        return judged == 0 ? null : (double) effective / judged;
    }
}
