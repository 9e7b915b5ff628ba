package io.mythos.platform.web;

import java.util.Locale;

/**
 * Whether an {@code Accept} header prefers an HTML page to JSON (DESIGN.md "Console"): a browser's
 * {@code text/html,…,*}{@code /*;q=0.8} does, a client sending {@code *}{@code /*} (curl, REST-assured), nothing, or
 * {@code application/json} does not. Each of the two types gets the quality of the most specific range that
 * matches it; HTML wins only when its quality is strictly higher.
 */
public final class AcceptPreference {

    private AcceptPreference() {
    }

    public static boolean prefersHtml(String accept) {
        if (accept == null || accept.isBlank()) {
            return false;
        }
        return quality(accept, "text", "html") > quality(accept, "application", "json");
    }

    /** The quality the header gives {@code type/subtype}: that of its most specific matching range, 0 if none. */
    static double quality(String accept, String type, String subtype) {
        int bestSpecificity = -1;
        double q = 0;
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String media = parts[0].trim().toLowerCase(Locale.ROOT);
            int slash = media.indexOf('/');
            if (slash < 0) {
                continue;
            }
            String t = media.substring(0, slash);
            String s = media.substring(slash + 1);
            int specificity;
            if (t.equals(type) && s.equals(subtype)) {
                specificity = 2;
            } else if (t.equals(type) && s.equals("*")) {
                specificity = 1;
            } else if (t.equals("*") && s.equals("*")) {
                specificity = 0;
            } else {
                continue;
            }
            if (specificity > bestSpecificity) {
                bestSpecificity = specificity;
                q = qualityOf(parts);
            }
        }
        return q;
    }

    private static double qualityOf(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            if (p.length() > 2 && (p.charAt(0) == 'q' || p.charAt(0) == 'Q') && p.charAt(1) == '=') {
                try {
                    double q = Double.parseDouble(p.substring(2).trim());
                    return Double.isFinite(q) ? Math.max(0, Math.min(1, q)) : 0;
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }
}
