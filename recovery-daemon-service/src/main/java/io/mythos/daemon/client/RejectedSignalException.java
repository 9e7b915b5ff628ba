package io.mythos.daemon.client;

/** The healing service refused the signal (422: assistant unknown, or another 4xx): retrying cannot help. */
public class RejectedSignalException extends RuntimeException {

    private final int status;

    /** The message is stored as the escalation's last_error: the status and what it means, nothing of the peer's body. */
    public RejectedSignalException(int status) {
        super("the healing service answered HTTP " + status + switch (status) {
            case 401 -> ": it refused this service's token; check that both services trust the same key "
                    + "(SMALLRYE_JWT_SIGN_KEY_LOCATION here, MP_JWT_VERIFY_PUBLICKEY_LOCATION there) or mythos.peers.token";
            case 403 -> ": this service's token lacks the role the route needs (service)";
            case 422 -> ": the assistant is not registered there";
            default -> "";
        }, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
