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
}
