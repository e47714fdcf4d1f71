package org.tertulia.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.util.Map;

/** Whom the connection log names: the TCP peer, or what a trusted proxy forwarded, never what anyone else claims. */
class ClientAddressesTest {

    private static ClientAddresses trusting(String blocks) {
        Map<String, String> properties = blocks == null ? Map.of() : Map.of("tertulia.web.trusted-proxies", blocks);
        return new ClientAddresses(new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("tertulia.web", WebProperties.class));
    }

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void aClientThatIsNoTrustedProxyIsNamedByItsOwnAddressWhateverItForwards() throws Exception {
        ClientAddresses addresses = trusting(null);
        assertThat(addresses.clientOf(ip("203.0.113.9"), List.of("198.51.100.7"))).isEqualTo("203.0.113.9");
    }

    @Test
    void behindTrustedProxiesTheFirstUntrustedHopFromTheRightIsTheClient() throws Exception {
        ClientAddresses addresses = trusting(null);
        assertThat(addresses.clientOf(ip("10.0.0.5"), List.of("198.51.100.7, 203.0.113.9", "192.168.1.1")))
                .isEqualTo("203.0.113.9");
        assertThat(addresses.clientOf(ip("127.0.0.1"), null)).isEqualTo("127.0.0.1");
        assertThat(addresses.clientOf(ip("::1"), List.of("2001:db8::7"))).isEqualTo("2001:db8:0:0:0:0:0:7");
    }

    @Test
    void aHopThatIsNoAddressEndsWhatCanBeBelieved() throws Exception {
        ClientAddresses addresses = trusting(null);
        assertThat(addresses.clientOf(ip("10.0.0.5"), List.of("203.0.113.9, unknown"))).isEqualTo("10.0.0.5");
        assertThat(addresses.clientOf(ip("10.0.0.5"), List.of("evil.example.com"))).isEqualTo("10.0.0.5");
    }

    @Test
    void theTrustedBlocksAreASetting() throws Exception {
        ClientAddresses onlyOne = trusting("192.0.2.10/32");
        assertThat(onlyOne.clientOf(ip("192.0.2.10"), List.of("203.0.113.9"))).isEqualTo("203.0.113.9");
        assertThat(onlyOne.clientOf(ip("10.0.0.5"), List.of("203.0.113.9"))).isEqualTo("10.0.0.5");
        assertThatThrownBy(() -> trusting("not-an-address/8")).isInstanceOf(IllegalArgumentException.class);
    }
}
