package io.switchguard.cloud;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.switchguard.config.SwitchguardConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/** One REST client per (API, endpoint), built once and cached: regions come and go with targets, not per call. */
@ApplicationScoped
public class RestClients {

    private final SwitchguardConfig config;
    private final ObjectMapper mapper;
    // A client proxy: CloudAuth -> IamTokens -> RestClients is a cycle that CDI resolves lazily.
    private final CloudAuth auth;
    private final ConcurrentMap<String, Object> cache = new ConcurrentHashMap<>();

    public RestClients(SwitchguardConfig config, ObjectMapper mapper, CloudAuth auth) {
        this.config = config;
        this.mapper = mapper;
        this.auth = auth;
    }

    <T> T signed(Class<T> api, String baseUrl) {
        return get(api, baseUrl, true);
    }

    <T> T unsigned(Class<T> api, String baseUrl) {
        return get(api, baseUrl, false);
    }

    private <T> T get(Class<T> api, String baseUrl, boolean signed) {
        String key = api.getName() + '|' + baseUrl + '|' + signed;
        return api.cast(cache.computeIfAbsent(key, k -> {
            QuarkusRestClientBuilder builder = QuarkusRestClientBuilder.newBuilder()
                    .baseUri(URI.create(baseUrl))
                    .connectTimeout(config.cloud().connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .readTimeout(config.cloud().readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .followRedirects(false)
                    // Error statuses are answers to interpret, not exceptions.
                    .disableDefaultMapper(true);
            if (signed) {
                builder.register(new SigningFilter(auth, mapper));
            }
            return builder.build(api);
        }));
    }
}
