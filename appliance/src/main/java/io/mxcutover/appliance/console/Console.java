package io.mxcutover.appliance.console;

import io.dropwizard.auth.AuthDynamicFeature;
import io.dropwizard.auth.AuthFilter;
import io.dropwizard.auth.Authenticator;
import io.dropwizard.auth.basic.BasicCredentials;
import io.dropwizard.auth.chained.ChainedAuthFilter;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.servlets.assets.AssetServlet;
import io.mxcutover.appliance.auth.ApiUser;
import io.mxcutover.appliance.auth.RoleAuthorizer;
import jakarta.servlet.DispatcherType;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;

/**
 * Puts the console on the API port: the pages under {@code /} (classpath {@code /console}), uPlot from its
 * WebJar under {@code /vendor/uplot/}, the login ({@link SessionResource}), and the filters that make a
 * browser a safe API client ({@link ConsoleFilter}). The pages read and act only through {@code /api/v1}.
 */
public final class Console {
    /** uPlot's WebJar version; the pom's {@code uplot.version}. */
    static final String UPLOT = "1.6.30";

    private Console() {}

    /**
     * The API's authentication filter: HTTP Basic first, then the console's session cookie. A request with
     * neither gets Basic's 401 with its challenge (curl and scripts see what they saw before).
     */
    @SuppressWarnings({"rawtypes", "unchecked"}) // ChainedAuthFilter takes a raw List<AuthFilter>
    public static AuthDynamicFeature authFeature(
            AuthFilter<BasicCredentials, ApiUser> basic, ConsoleSessions sessions) {
        List<AuthFilter> chain = List.of(basic, SessionAuthFilter.over(sessions, new RoleAuthorizer()));
        return new LoginAwareAuthFeature(new ChainedAuthFilter(chain));
    }

    public static void register(
            Environment environment, ConsoleSessions sessions, Authenticator<BasicCredentials, ApiUser> authenticator) {
        environment
                .servlets()
                .addFilter("console", new ConsoleFilter(sessions))
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
        environment
                .servlets()
                .addServlet("console-pages", new AssetServlet("/console", "/", "index.html", StandardCharsets.UTF_8))
                .addMapping("/*");
        environment
                .servlets()
                .addServlet(
                        "console-uplot",
                        new AssetServlet(
                                "/META-INF/resources/webjars/uplot/" + UPLOT + "/dist",
                                "/vendor/uplot",
                                null,
                                StandardCharsets.UTF_8))
                .addMapping("/vendor/uplot/*");
        environment.jersey().register(new SessionResource(sessions, authenticator));
        environment.jersey().register(new RelayCountersResource(environment.metrics()));
    }
}
