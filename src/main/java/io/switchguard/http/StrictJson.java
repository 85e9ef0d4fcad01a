package io.switchguard.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * A body is one JSON value and nothing after it: {@code {"target":"x"}}}, {@code {"target":"x"} trailing} and two
 * concatenated objects are 400 SG.4000, never a swap of whatever the first value said. Funqy reads function input
 * with a copy of this mapper, so the feature reaches every function.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }
}
