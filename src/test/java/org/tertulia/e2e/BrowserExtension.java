package org.tertulia.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;

/**
 * Gives each test a {@link Browsers}, keeps a screenshot and the page source of every browser
 * still open when a test fails, and closes the browsers after the test.
 *
 * <p>The evidence goes under {@code -Dtertulia.e2e.artifacts} (failsafe sets it to
 * {@code target/e2e-artifacts}), one folder per failed test. It is taken right after the test
 * method, before any {@code @AfterEach}, so it shows the page as the failing assertion saw it.
 */
final class BrowserExtension implements ParameterResolver, AfterTestExecutionCallback, AfterEachCallback {

    static final String ARTIFACTS_PROPERTY = "tertulia.e2e.artifacts";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(BrowserExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Browsers.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return browsers(context);
    }

    private static Browsers browsers(ExtensionContext context) {
        return context.getStore(NAMESPACE).computeIfAbsent(Browsers.class,
                type -> new Browsers(ChatServerExtension.server(context)), Browsers.class);
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        Browsers browsers = context.getStore(NAMESPACE).get(Browsers.class, Browsers.class);
        if (browsers == null || context.getExecutionException().isEmpty()) {
            return;
        }
        Path folder = Paths.get(System.getProperty(ARTIFACTS_PROPERTY, "target/e2e-artifacts"))
                .resolve(safe(context.getRequiredTestClass().getSimpleName() + "." + context.getRequiredTestMethod().getName()));
        for (ChatPage page : browsers.pages()) {
            keepEvidence(page, folder, context);
        }
    }

    /** Keeps a screenshot and the page source of each page, for a test that runs its browsers itself. */
    static void keepEvidence(List<ChatPage> pages, String test) {
        Path folder = Paths.get(System.getProperty(ARTIFACTS_PROPERTY, "target/e2e-artifacts")).resolve(safe(test));
        for (ChatPage page : pages) {
            keepEvidence(page, folder, null);
        }
    }

    private static void keepEvidence(ChatPage page, Path folder, ExtensionContext context) {
        WebDriver driver = page.browser().driver();
        String name = safe(page.browser().label());
        try {
            Files.createDirectories(folder);
            Files.write(folder.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            Files.writeString(folder.resolve(name + ".html"), driver.getPageSource(), StandardCharsets.UTF_8);
            if (context != null) {
                context.publishReportEntry("e2e-artifacts." + name, folder.toAbsolutePath().toString());
            }
        } catch (IOException | RuntimeException e) {
            // Evidence is a courtesy: never let it hide the failure it documents.
            System.err.println("could not keep evidence of browser " + name + ": " + e);
        }
    }

    private static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Browsers browsers = context.getStore(NAMESPACE).remove(Browsers.class, Browsers.class);
        if (browsers != null) {
            browsers.close();
        }
    }
}
