package io.mxcutover.appliance.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.appliance.audit.AuditLog;
import io.mxcutover.appliance.auth.ApiUser;
import io.mxcutover.appliance.auth.Role;
import io.mxcutover.appliance.store.Store;
import io.mxcutover.relay.schedule.QueueOperations;
import io.mxcutover.relay.schedule.QueuedMessage;
import jakarta.ws.rs.WebApplicationException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueueResourceTest {

    /** A queue that holds messages in memory and records what was asked. */
    static final class FakeQueue implements QueueOperations {
        final Map<String, QueuedMessage> messages = new LinkedHashMap<>();
        final List<String> calls = new ArrayList<>();

        void add(String id, String state) {
            messages.put(
                    id,
                    new QueuedMessage(
                            id,
                            "a@example.org",
                            List.of("bob@example.test"),
                            Instant.EPOCH,
                            Duration.ZERO,
                            1,
                            Instant.EPOCH,
                            state,
                            "451 4.3.0 later",
                            100,
                            false));
        }

        @Override
        public List<QueuedMessage> list() {
            return List.copyOf(messages.values());
        }

        @Override
        public Optional<QueuedMessage> show(String id) {
            return Optional.ofNullable(messages.get(id));
        }

        @Override
        public boolean retryNow(String id) {
            calls.add("retry " + id);
            return messages.containsKey(id) && !messages.get(id).state().equals("hold");
        }

        @Override
        public boolean hold(String id) {
            calls.add("hold " + id);
            return messages.containsKey(id);
        }

        @Override
        public boolean release(String id) {
            calls.add("release " + id);
            return messages.containsKey(id) && messages.get(id).state().equals("hold");
        }

        @Override
        public boolean delete(String id) {
            calls.add("delete " + id);
            return messages.remove(id) != null;
        }
    }

    @TempDir
    Path dir;

    FakeQueue queue = new FakeQueue();
    QueueResource resource;
    AuditLog audit;
    final ApiUser admin = new ApiUser("admin", Role.ADMIN);

    @BeforeEach
    void setUp() throws Exception {
        audit = new AuditLog(Store.open(dir.resolve("state.db")), Clock.systemUTC());
        resource = new QueueResource(() -> Optional.of(queue), audit);
        queue.add("0AAAAAAAA00001", "deferred");
        queue.add("0AAAAAAAA00002", "hold");
    }

    static int status(Runnable r) {
        try {
            r.run();
            return 200;
        } catch (WebApplicationException e) {
            return e.getResponse().getStatus();
        }
    }

    @Test
    void listAndShowShouldReturnQueuedMessages() {
        assertThat(resource.list()).hasSize(2);
        assertThat(resource.show("0AAAAAAAA00001").lastReply()).contains("451");
        assertThat(status(() -> resource.show("0NOSUCH00000"))).isEqualTo(404);
    }

    @Test
    void actionsShouldReachTheQueueAndBeAudited() {
        resource.retry(admin, "0AAAAAAAA00001");
        resource.hold(admin, "0AAAAAAAA00001");
        resource.release(admin, "0AAAAAAAA00002");
        assertThat(resource.delete(admin, "0AAAAAAAA00001").getStatus()).isEqualTo(204);
        assertThat(queue.calls)
                .containsExactly(
                        "retry 0AAAAAAAA00001",
                        "hold 0AAAAAAAA00001",
                        "release 0AAAAAAAA00002",
                        "delete 0AAAAAAAA00001");
        assertThat(audit.recent(Optional.empty(), 10)).hasSize(4);
    }

    @Test
    void actionsShouldAnswer404ForUnknownIdAnd409ForWrongState() {
        assertThat(status(() -> resource.retry(admin, "0NOSUCH00000"))).isEqualTo(404);
        assertThat(status(() -> resource.release(admin, "0AAAAAAAA00001"))).isEqualTo(409);
        assertThat(status(() -> resource.delete(admin, "0NOSUCH00000"))).isEqualTo(404);
    }

    @Test
    void everythingShouldAnswer503WhenRelayIsNotRunning() {
        QueueResource off = new QueueResource(Optional::empty, audit);
        assertThat(status(off::list)).isEqualTo(503);
        assertThat(status(() -> off.hold(admin, "0AAAAAAAA00001"))).isEqualTo(503);
    }
}
