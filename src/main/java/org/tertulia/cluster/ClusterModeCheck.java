package org.tertulia.cluster;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Stops the start at once when {@code tertulia.cluster.mode} names no mode, with Spring's
 * usual report of the setting and its value. Without it the room would be wired for neither
 * mode and the start would fail later, on a missing bean, saying nothing about the setting.
 */
final class ClusterModeCheck implements EnvironmentPostProcessor, Ordered {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Binder.get(environment).bind("tertulia.cluster.mode", ClusterProperties.Mode.class);
    }

    /** After the configuration files are read. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
