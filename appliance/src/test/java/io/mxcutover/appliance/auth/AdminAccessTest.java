package io.mxcutover.appliance.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.jetty.HttpConnectorFactory;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AdminAccessTest {

    /** method | path (decoded) | role needed (- for none). */
    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "GET    | /ping              | -",
                "HEAD   | /ping              | -",
                "POST   | /ping              | ADMIN",
                "GET    | /healthcheck       | OPERATOR",
                "GET    | /metrics           | OPERATOR",
                "GET    | /threads           | OPERATOR",
                "GET    | /                  | OPERATOR",
                "GET    | ''                 | OPERATOR",
                "POST   | /tasks/log-level   | ADMIN",
                "POST   | /tasks/gc          | ADMIN",
                "GET    | /tasks/gc          | ADMIN",
                "POST   | /healthcheck       | ADMIN",
                "GET    | /pprof             | ADMIN",
                "GET    | /something-new     | ADMIN",
                "get    | /metrics           | OPERATOR",
                "DELETE | /metrics           | ADMIN",
            })
    void requiredShouldOpenOnlyPingAndAskOperatorForReadsAndAdminForTheRest(String method, String path, String role) {
        assertThat(AdminAccess.required(method, path).map(Role::name).orElse("-"))
                .isEqualTo(role);
    }

    @ParameterizedTest(name = "bindHost {0} -> {1}, exposed {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "''          | 127.0.0.1 | false",
                "127.0.0.1   | 127.0.0.1 | false",
                "localhost   | localhost | false",
                "::1         | ::1       | false",
                "0.0.0.0     | 0.0.0.0   | true",
                "192.0.2.10  | 192.0.2.10| true",
            })
    void adminConnectorShouldBindLoopbackUnlessYamlNamesAHost(String configured, String bound, boolean exposed) {
        DefaultServerFactory server = new DefaultServerFactory();
        HttpConnectorFactory admin =
                (HttpConnectorFactory) server.getAdminConnectors().get(0);
        admin.setBindHost(configured.isEmpty() ? null : configured);

        AdminBinding.loopbackByDefault(server);

        assertThat(admin.getBindHost()).isEqualTo(bound);
        assertThat(AdminBinding.exposed(server)).isEqualTo(exposed ? List.of(bound + ":8081") : List.of());
    }
}
