package org.tertulia.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One HTTPS request over a raw TLS socket to the loopback address, with the SNI and the
 * {@code Host} header chosen separately. Real clients derive both from the URL (and send no
 * SNI at all for an IP address, RFC 6066 §3); a test that chooses them sees which one the
 * server looks at. The client does no host name verification of its own, so every answer
 * is the server's.
 */
public final class TlsProbe {

    private TlsProbe() {
    }

    /** What came back: the status, the whole response, and the certificate the server presented. */
    public record Answer(int status, String response, X509Certificate served) {
    }

    /**
     * {@code GET /} with {@code Host: host}, after a handshake offering {@code sni} (none when
     * null), trusting only what {@code trust} trusts.
     */
    public static Answer get(SSLContext trust, int port, String sni, String host) {
        try (SSLSocket socket = (SSLSocket) trust.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
            socket.setSoTimeout(30_000);
            SSLParameters parameters = socket.getSSLParameters();
            // Set either way: an empty list is what keeps the JDK from sending one.
            parameters.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            X509Certificate served = (X509Certificate) socket.getSession().getPeerCertificates()[0];
            OutputStream out = socket.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            String[] statusLine = response.split("\r\n", 2)[0].split(" ");
            if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
                throw new AssertionError("not an HTTP response: " + response);
            }
            return new Answer(Integer.parseInt(statusLine[1]), response, served);
        } catch (IOException e) {
            throw new UncheckedIOException("TLS request to port " + port + " (SNI " + sni + ", Host " + host + ")", e);
        }
    }

    /** Only the handshake, returning the certificate the server presented for {@code sni}. */
    public static X509Certificate handshake(SSLContext trust, int port, String sni) {
        try (SSLSocket socket = (SSLSocket) trust.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
            socket.setSoTimeout(30_000);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        } catch (IOException e) {
            throw new UncheckedIOException("TLS handshake with port " + port, e);
        }
    }
}
