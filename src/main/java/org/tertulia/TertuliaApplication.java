package org.tertulia;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Starts the Tertulia chat server. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class TertuliaApplication {

    public static void main(String[] args) {
        SpringApplication.run(TertuliaApplication.class, args);
    }
}
