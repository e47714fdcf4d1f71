package org.tertulia.e2e;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test that drives real Chromium browsers against a real server: test methods may take a
 * {@link org.tertulia.support.ServerUnderTest} and a {@link Browsers} parameter.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag("e2e")
@ExtendWith({ChatServerExtension.class, BrowserExtension.class})
@interface BrowserTest {

    /**
     * The {@code @SpringBootTest} configuration of the server these tests need, when the
     * default will not do (e.g. a setting made small to reach a limit quickly). Such a
     * server is always started locally, even with {@code -Dtertulia.it.base-url}: a server
     * started elsewhere does not have the settings these tests rely on.
     */
    Class<?> server() default ChatServerExtension.LocalServer.class;
}
