package io.mythos.healing.support;

import java.util.Map;

/**
 * {@link PeerProfile} with the remediation-safety job every second and a storm window of 2 s, so that
 * verification, expired silences and calm storms are decided within seconds.
 */
public class SafetyProfile extends PeerProfile {

    @Override
    protected Map<String, String> extra() {
        return Map.of("mythos.healing.safety-interval", "1s", "mythos.healing.storm-window", "2s");
    }
}
