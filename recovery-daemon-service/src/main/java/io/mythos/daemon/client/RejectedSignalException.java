package io.mythos.daemon.client;

/** The healing service refused the signal (422: assistant unknown, or another 4xx): retrying cannot help. */
public class RejectedSignalException extends RuntimeException {

    private final int status;

    public RejectedSignalException(int status, String detail) {
        super("healing service answered " + status + ": " + detail);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
