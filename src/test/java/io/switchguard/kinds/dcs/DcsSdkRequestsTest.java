package io.switchguard.kinds.dcs;

import com.huaweicloud.sdk.core.http.HttpRequestDef;
import com.huaweicloud.sdk.dcs.v2.DcsMeta;
import io.switchguard.cloud.SdkRequestDefinitionsTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Issue 12 item 2, the request side: each DCS call of DcsApi has the method and path of the official SDK's. */
class DcsSdkRequestsTest {

    static Stream<Arguments> calls() {
        return Stream.of(
                Arguments.of(DcsApi.class, "swap", DcsMeta.changeMasterStandby),
                Arguments.of(DcsApi.class, "instance", DcsMeta.showInstance),
                Arguments.of(DcsApi.class, "groups", DcsMeta.listGroupReplicationInfo));
    }

    @ParameterizedTest(name = "{0}.{1} is the SDK''s {2}")
    @MethodSource("calls")
    void methodAndPathAreTheSdks(Class<?> api, String name, HttpRequestDef<?, ?> sdk) {
        SdkRequestDefinitionsTest.assertSdkShape(api, name, sdk);
    }
}
