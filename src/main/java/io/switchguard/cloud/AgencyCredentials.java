package io.switchguard.cloud;

import io.vertx.core.MultiMap;
import org.jboss.logging.Logger;

/**
 * The temporary credentials FunctionGraph hands a function from its agency, in request headers (CONTRACT §7,
 * FunctionGraph user guide): event functions get X-CFF-Access-Key, X-CFF-Secret-Key and X-CFF-Security-Token;
 * HTTP functions with "Include Keys" ({@code enable_auth_in_header}) get X-CFF-Security-Access-Key,
 * X-CFF-Security-Secret-Key and X-CFF-Security-Token. Both sets are read. Whether they may be trusted is the HTTP
 * guard's decision, not this reader's: a caller behind a public gateway can send any header.
 */
public final class AgencyCredentials {

    static final String EVENT_ACCESS_KEY = "X-CFF-Access-Key";
    static final String EVENT_SECRET_KEY = "X-CFF-Secret-Key";
    static final String HTTP_ACCESS_KEY = "X-CFF-Security-Access-Key";
    static final String HTTP_SECRET_KEY = "X-CFF-Security-Secret-Key";
    static final String SECURITY_TOKEN = "X-CFF-Security-Token";
    private static final Logger LOG = Logger.getLogger(AgencyCredentials.class);

    private AgencyCredentials() {}

    /** The pair and token the headers carry, or null when no complete pair is there. Never logs a value. */
    public static CloudAuth.AkSk from(MultiMap headers) {
        CloudAuth.AkSk event = pair(headers, EVENT_ACCESS_KEY, EVENT_SECRET_KEY);
        return event != null ? event : pair(headers, HTTP_ACCESS_KEY, HTTP_SECRET_KEY);
    }

    /** Any of the credential headers is present (trusted or not). */
    public static boolean present(MultiMap headers) {
        return headers.contains(EVENT_ACCESS_KEY) || headers.contains(EVENT_SECRET_KEY)
                || headers.contains(HTTP_ACCESS_KEY) || headers.contains(HTTP_SECRET_KEY)
                || headers.contains(SECURITY_TOKEN);
    }

    private static CloudAuth.AkSk pair(MultiMap headers, String akHeader, String skHeader) {
        String ak = blankToNull(headers.get(akHeader));
        String sk = blankToNull(headers.get(skHeader));
        if (ak == null || sk == null) {
            if (ak != null || sk != null) {
                LOG.warnf("only one of %s / %s was sent; ignoring the pair", akHeader, skHeader);
            }
            return null;
        }
        return new CloudAuth.AkSk(ak, sk, blankToNull(headers.get(SECURITY_TOKEN)));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
