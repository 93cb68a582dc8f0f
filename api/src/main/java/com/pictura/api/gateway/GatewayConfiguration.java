package com.pictura.api.gateway;

import java.util.List;

import com.pictura.api.web.RequestAttributeArgument;
import com.pictura.domain.inference.InferenceSaga;
import com.pictura.domain.inference.SettlementExecutor;
import org.axonframework.config.ConfigurerModule;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Wires the gateway: key authentication on {@code /v1}, and the inference saga into Axon. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GatewayProperties.class)
public class GatewayConfiguration implements WebMvcConfigurer {

    private final ApiKeyAuthentication authentication;

    public GatewayConfiguration(ApiKeyAuthentication authentication) {
        this.authentication = authentication;
    }

    /** The domain module has no Spring: the saga is registered here, in its own processing group. */
    @Bean
    ConfigurerModule inferenceSagaConfiguration() {
        return configurer -> configurer.eventProcessing().registerSaga(InferenceSaga.class);
    }

    /** The saga's commands run here, each in a transaction of its own, after the saga's batch has committed. */
    @Bean(destroyMethod = "shutdown")
    SettlementPool settlementExecutor() {
        return new SettlementPool();
    }

    /** Two threads: settlement is a short command each, never blocked on anything but the database. */
    static final class SettlementPool implements SettlementExecutor {
        private final java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2,
                runnable -> {
                    Thread thread = new Thread(runnable, "settlement");
                    thread.setDaemon(true);
                    return thread;
                });

        @Override
        public void execute(Runnable command) {
            pool.execute(command);
        }

        public void shutdown() {
            pool.shutdown();
            try {
                pool.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(authentication).addPathPatterns("/v1/**").excludePathPatterns("/v1/files/**");
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new RequestAttributeArgument(KeyCaller.class, KeyCaller.ATTRIBUTE));
    }
}
