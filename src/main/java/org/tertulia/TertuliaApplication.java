package org.tertulia;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.tertulia.protocol.JsonCodec;

/** Starts the Tertulia chat server. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class TertuliaApplication {

    public static void main(String[] args) {
        SpringApplication.run(TertuliaApplication.class, args);
    }

    /** The wire format: the web layer decodes with it, the room encodes through it. */
    @Bean
    JsonCodec jsonCodec() {
        return new JsonCodec();
    }
}
