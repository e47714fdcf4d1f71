package org.tertulia.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chromium.HasCdp;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.tertulia.support.SelfSignedCertificate;
import org.tertulia.support.ServerUnderTest;
import org.tertulia.support.TlsProbe;

/**
 * The server on TLS, through Spring Boot's SSL bundle settings, with a certificate made for
 * this run: Chromium, told to trust that one key (not to ignore certificate errors), chats
 * over {@code wss://}; and on the wire, which host names Jetty answers.
 */
@BrowserTest(server = TlsBrowserIT.TlsServer.class)
class TlsBrowserIT {

    /**
     * The whole application on TLS: a self-signed certificate for {@code localhost} and
     * {@code 127.0.0.1}, as PEM files, made before the context starts.
     */
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
    static final class TlsServer {

        static final SelfSignedCertificate CERTIFICATE = SelfSignedCertificate.create("dns:localhost", "ip:127.0.0.1");

        @DynamicPropertySource
        static void tls(DynamicPropertyRegistry registry) {
            CERTIFICATE.serverProperties("web").forEach((name, value) -> registry.add(name, () -> value));
        }
    }

    /**
     * Installed before the page's scripts: the page's sockets stay the browser's own, but each
     * is kept where the test can ask which URL it was opened on and whether it is open.
     */
    private static final String KEEP_SOCKETS = """
            (() => {
              const Native = window.WebSocket;
              const sockets = [];
              window.__sockets = sockets;
              window.WebSocket = class extends Native {
                constructor(...args) {
                  super(...args);
                  sockets.push(this);
                }
              };
            })();
            """;

    private final String run = HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());

    private static void keepSockets(Browser browser) {
        ((HasCdp) browser.driver()).executeCdpCommand("Page.addScriptToEvaluateOnNewDocument",
                Map.of("source", KEEP_SOCKETS));
    }

    @Test
    void twoBrowsersTrustingTheCertificateChatOverWss(ServerUnderTest server, Browsers browsers) {
        assertThat(server.http().toString()).as("the extension addresses a TLS server by name").startsWith("https://localhost:");
        browsers.chromiumFlags("--ignore-certificate-errors-spki-list=" + TlsServer.CERTIFICATE.spkiSha256());
        ChatPage ana = browsers.open("ana", server.http(), TlsBrowserIT::keepSockets);
        ChatPage bob = browsers.open("bob", server.http(), TlsBrowserIT::keepSockets);

        String wss = "wss://localhost:" + server.http().getPort() + "/chat";
        for (ChatPage page : new ChatPage[] {ana, bob}) {
            assertThat(page.script("return location.protocol")).isEqualTo("https:");
            assertThat(page.script("return window.__sockets.length")).isEqualTo(1L);
            assertThat(page.script("return window.__sockets[0].url")).isEqualTo(wss);
            assertThat(page.script("return window.__sockets[0].readyState")).as("open").isEqualTo(1L);
        }

        String anaName = ana.signIn("ana-" + run);
        String bobName = bob.signIn("bob-" + run);
        ana.awaitUsersIncluding(anaName, bobName);
        bob.awaitUsersIncluding(anaName, bobName);
        ana.sayWithEnter("over TLS, bob?");
        bob.awaitMessage(anaName, "over TLS, bob?");
        bob.sayWithEnter("over TLS, ana");
        ana.awaitMessage(bobName, "over TLS, ana");
    }

    /** The control: without the flag the same Chromium refuses the page, so the flag is what trusts it. */
    @Test
    void aBrowserNotToldToTrustTheCertificateStopsAtTheCertificateError(ServerUnderTest server) {
        try (Browser browser = Browser.start("untrusting", Browsers.DESKTOP)) {
            WebDriver driver = browser.driver();
            driver.get(server.http() + "/");
            assertThat(driver.getPageSource()).contains("ERR_CERT_AUTHORITY_INVALID");
            assertThat(driver.findElements(By.id("status"))).as("no chat page").isEmpty();
        }
    }

    /**
     * Jetty's "SNI host check" ({@code SecureRequestCustomizer}, on by default, no Spring Boot
     * setting) compares the request's host, from the {@code Host} header, that is the URL, with
     * the names in the certificate (DNS and IP subject alternative names, and the CN), and
     * answers 400 "Invalid SNI" when none matches. The SNI itself is not compared (that would be
     * {@code sniRequired}, off): browsers and the JDK send none for an IP address, so a check on
     * it could not serve {@code https://127.0.0.1} at all. Raw requests choose SNI and Host
     * separately, so nothing here depends on what one client or another would send.
     */
    @Test
    void jettyAnswersOnlyHostsTheCertificateNames(ServerUnderTest server) {
        int port = server.http().getPort();
        SSLContext trust = TlsServer.CERTIFICATE.trustingOnlyThis();

        // https://localhost:PORT/ as a browser asks for it.
        TlsProbe.Answer byName = TlsProbe.get(trust, port, "localhost", "localhost:" + port);
        assertThat(byName.status()).as(byName.response()).isEqualTo(200);
        assertThat(byName.served()).isEqualTo(TlsServer.CERTIFICATE.certificate());

        // https://127.0.0.1:PORT/ as every client asks for it: no SNI. Served, because the
        // certificate names 127.0.0.1 as an IP address (Jetty 12 matches IP SANs).
        TlsProbe.Answer byAddress = TlsProbe.get(trust, port, null, "127.0.0.1:" + port);
        assertThat(byAddress.status()).as(byAddress.response()).isEqualTo(200);

        // An address the certificate does not name, e.g. https://127.0.0.2:PORT/ (loopback too):
        // 400. This is SETUP-NOTES' "a certificate for localhost fails at https://127.0.0.1/"
        // for a certificate without that IP SAN; same rule, same code path.
        TlsProbe.Answer otherAddress = TlsProbe.get(trust, port, null, "127.0.0.2:" + port);
        assertThat(otherAddress.status()).as(otherAddress.response()).isEqualTo(400);
        assertThat(otherAddress.response()).contains("Invalid SNI");

        // A matching SNI does not save a Host the certificate lacks: the Host is what is checked.
        TlsProbe.Answer hostNotNamed = TlsProbe.get(trust, port, "localhost", "chat.example.org");
        assertThat(hostNotNamed.status()).as(hostNotNamed.response()).isEqualTo(400);
        assertThat(hostNotNamed.response()).contains("Invalid SNI");

        // And an SNI the certificate lacks does no harm while the Host matches (sniRequired is off).
        TlsProbe.Answer sniNotNamed = TlsProbe.get(trust, port, "chat.example.org", "localhost:" + port);
        assertThat(sniNotNamed.status()).as(sniNotNamed.response()).isEqualTo(200);
    }
}
