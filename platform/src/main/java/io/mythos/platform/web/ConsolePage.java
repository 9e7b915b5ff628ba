package io.mythos.platform.web;

import java.util.Map;

/**
 * One service's console page (DESIGN.md "Console"): which service it is ({@code healing}, {@code load-balancer}
 * or {@code recovery-daemon}, the keys of {@code mythos.http.console.links.*}), its title, the path of its own
 * script among the service's static files, and settings the script needs that are configuration, not data
 * (thresholds to draw), handed to it in the page.
 */
public record ConsolePage(String service, String title, String script, Map<String, Object> settings) {

    public ConsolePage {
        settings = Map.copyOf(settings);
    }
}
