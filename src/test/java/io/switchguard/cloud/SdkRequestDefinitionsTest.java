package io.switchguard.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.huaweicloud.sdk.core.http.HttpRequestDef;
import com.huaweicloud.sdk.smn.v2.SmnMeta;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 12 item 2, the request side: each call switchguard declares (a {@link CloudCall}) has the method and path of the
 * official SDK's request definition for it (placeholder names aside). Here SMN; each kind's slice has its own
 * (DcsSdkRequestsTest, DrsSdkRequestsTest, DwsSdkRequestsTest). The calls the SDK does not have (DRS switch-vip and
 * get-switch-vip-status, DCS v1.0 swap) are checked against their seed documents elsewhere.
 */
public class SdkRequestDefinitionsTest {

    static Stream<Arguments> calls() {
        return Stream.of(Arguments.of("SmnApi.PUBLISH", SmnApi.PUBLISH, SmnMeta.publishMessage));
    }

    @ParameterizedTest(name = "{0} is the SDK''s {2}")
    @MethodSource("calls")
    void methodAndPathAreTheSdks(String name, CloudCall call, HttpRequestDef<?, ?> sdk) {
        assertSdkShape(call, sdk);
    }

    /** The call has the SDK's verb and path. */
    public static void assertSdkShape(CloudCall call, HttpRequestDef<?, ?> sdk) {
        assertEquals(sdk.getMethod().name() + " " + shape(sdk.getUri()), call.method() + " " + shape("/" + call.path()));
    }

    /** A path with its placeholders unnamed: {project_id} and {dr_id} are the same segment. */
    static String shape(String path) {
        return path.replaceAll("\\{[^}]+}", "{}");
    }
}
