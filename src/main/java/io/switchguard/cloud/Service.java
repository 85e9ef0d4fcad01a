package io.switchguard.cloud;

/** Cloud services switchguard talks to; the name is the endpoint's host prefix and its override key. */
public enum Service {
    DCS, DRS, DWS, SMN, IAM;

    public String key() {
        return name().toLowerCase();
    }
}
