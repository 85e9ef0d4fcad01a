package io.switchguard.kinds.drs;

import com.huaweicloud.sdk.core.http.HttpRequestDef;
import com.huaweicloud.sdk.drs.v3.DrsMeta;
import io.switchguard.cloud.CloudCall;
import io.switchguard.cloud.SdkRequestDefinitionsTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Issue 12 item 2, the request side: each DRS call of DrsApi has the method and path of the official SDK's. */
class DrsSdkRequestsTest {

    static Stream<Arguments> calls() {
        return Stream.of(
                Arguments.of("DrsApi.BATCH_STATUS", DrsApi.BATCH_STATUS, DrsMeta.batchListJobStatus),
                Arguments.of("DrsApi.BATCH_PROGRESS", DrsApi.BATCH_PROGRESS, DrsMeta.batchListProgresses));
    }

    @ParameterizedTest(name = "{0} is the SDK''s {2}")
    @MethodSource("calls")
    void methodAndPathAreTheSdks(String name, CloudCall call, HttpRequestDef<?, ?> sdk) {
        SdkRequestDefinitionsTest.assertSdkShape(call, sdk);
    }
}
