package org.tertulia.e2e;

import java.net.URI;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.server.Ssl;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestContextManager;
import org.tertulia.support.ServerUnderTest;

/**
 * Supplies the server browser tests talk to: for a class that names its own configuration
 * ({@link BrowserTest#server()}), that configuration started locally; otherwise the one named by
 * {@code -Dtertulia.it.base-url=http://host:port} when set (e.g. the Docker image), else
 * this build's application started as a {@code @SpringBootTest} on a random port.
 *
 * <p>The local server is loaded through Spring's test context framework for {@link LocalServer},
 * so it shares Spring's context cache with other {@code @SpringBootTest} classes; when a base URL
 * is given, only classes with a configuration of their own start a server locally.
 */
final class ChatServerExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ChatServerExtension.class);

    /** The configuration of the local server: the whole application on a random port. */
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
    static final class LocalServer {
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        // Start (or find) the server before any test's timeouts begin.
        server(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ServerUnderTest.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return server(context);
    }

    /** The server for this test class's configuration, located once per run. */
    static ServerUnderTest server(ExtensionContext context) {
        Class<?> config = AnnotationSupport.findAnnotation(context.getRequiredTestClass(), BrowserTest.class)
                .<Class<?>>map(BrowserTest::server).orElse(LocalServer.class);
        return context.getRoot().getStore(NAMESPACE)
                .computeIfAbsent(config, type -> locate(config), ServerUnderTest.class);
    }

    /** Whether the tests run against a server started elsewhere, whose room others may share. */
    static boolean isExternal() {
        String base = System.getProperty(ServerUnderTest.BASE_URL_PROPERTY);
        return base != null && !base.isBlank();
    }

    private static ServerUnderTest locate(Class<?> config) {
        if (config == LocalServer.class && isExternal()) {
            String base = System.getProperty(ServerUnderTest.BASE_URL_PROPERTY).strip().replaceAll("/+$", "");
            return new ServerUnderTest(URI.create(base));
        }
        ApplicationContext app = new TestContextManager(config).getTestContext().getApplicationContext();
        int port = app.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
        // A server on TLS (server.ssl.*, bound as Spring Boot binds it) is addressed by name:
        // Jetty answers 400 to a host its certificate does not name, and test certificates
        // name localhost.
        boolean tls = Binder.get(app.getEnvironment()).bind("server.ssl", Ssl.class).map(ssl -> Ssl.isEnabled(ssl)).orElse(false);
        return tls ? new ServerUnderTest(URI.create("https://localhost:" + port)) : ServerUnderTest.onPort(port);
    }
}
