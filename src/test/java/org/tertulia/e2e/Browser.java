package org.tertulia.e2e;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * One headless Debian Chromium driven through the system chromedriver, with a profile of its
 * own that is deleted when it closes. Selenium is given both paths, so it never downloads
 * a browser or a driver.
 */
final class Browser implements AutoCloseable {

    /** Overrides for the two binaries; the defaults are Debian's packages. */
    static final String CHROMIUM_PROPERTY = "tertulia.e2e.chromium";
    static final String CHROMEDRIVER_PROPERTY = "tertulia.e2e.chromedriver";

    private final String label;
    private final WebDriver driver;
    private final Path profile;

    private Browser(String label, WebDriver driver, Path profile) {
        this.label = label;
        this.driver = driver;
        this.profile = profile;
    }

    /** Starts a browser; fails (never skips) when Chromium or chromedriver is missing. */
    static Browser start(String label, Dimension window) {
        return start(label, window, List.of());
    }

    /**
     * Starts a browser with these Chromium flags besides the usual ones (e.g.
     * {@code --ignore-certificate-errors-spki-list=...} to trust one test certificate).
     */
    static Browser start(String label, Dimension window, List<String> extraFlags) {
        File chromium = executable(CHROMIUM_PROPERTY, "/usr/bin/chromium", "chromium");
        File chromedriver = executable(CHROMEDRIVER_PROPERTY, "/usr/bin/chromedriver", "chromium-driver");
        Path profile;
        try {
            profile = Files.createTempDirectory("tertulia-e2e-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--no-default-browser-check",
                "--lang=en-GB",
                "--user-data-dir=" + profile,
                "--window-size=" + window.getWidth() + "," + window.getHeight());
        options.addArguments(extraFlags);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver)
                .usingAnyFreePort()
                .withSilent(true)
                .build();
        try {
            return new Browser(label, new ChromeDriver(service, options), profile);
        } catch (RuntimeException e) {
            service.stop();
            delete(profile);
            throw e;
        }
    }

    private static File executable(String property, String defaultPath, String debianPackage) {
        File file = new File(System.getProperty(property, defaultPath));
        if (!file.isFile() || !file.canExecute()) {
            throw new AssertionError(file + " is missing or not executable: the browser tests need Debian's Chromium "
                    + "and its driver (apt-get install -y chromium chromium-driver), or -D" + property + "=<path>. "
                    + "Install package " + debianPackage + ".");
        }
        return file;
    }

    String label() {
        return label;
    }

    WebDriver driver() {
        return driver;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            delete(profile);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A profile left in /tmp is untidy, not a test failure.
        }
    }
}
