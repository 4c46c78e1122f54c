package io.mxcutover.appliance.hook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class HookConfigTest {
    private static HookConfig.Command command(String name, List<HookEvent> events, List<String> command) {
        HookConfig.Command c = new HookConfig.Command();
        c.name = name;
        c.events = events;
        c.command = command;
        return c;
    }

    @Test
    void problemsShouldBeEmptyWhenHooksAreSound() {
        HookConfig config = new HookConfig();
        config.commands = List.of(command(
                "notify", List.of(HookEvent.MAILBOX_HISTORY_COPIED), List.of("/usr/local/bin/notify", "--quiet")));
        assertThat(config.problems()).isEmpty();
    }

    @Test
    void problemsShouldNameEachMistakeWhenHooksAreWrong() {
        HookConfig config = new HookConfig();
        config.commands = List.of(
                command("notify", List.of(), List.of("notify.sh")),
                command("notify", List.of(HookEvent.BATCH_COMPLETED), List.of("sh -c 'x'")),
                command("bad name", List.of(HookEvent.WINDOW_CLOSED), List.of()));
        assertThat(config.problems())
                .hasSize(6)
                .anySatisfy(p -> assertThat(p).startsWith("hooks.commands[0].events"))
                .anySatisfy(p -> assertThat(p)
                        .startsWith("hooks.commands[0].command must start with the program's" + " absolute path"))
                .anySatisfy(p -> assertThat(p).contains("used twice"))
                .anySatisfy(p -> assertThat(p).startsWith("hooks.commands[2].name"));
    }

    @Test
    void eventShouldBeReadFromItsYamlWordWhenKnown() {
        assertThat(HookEvent.of("Window-Closed")).isEqualTo(HookEvent.WINDOW_CLOSED);
        assertThatThrownBy(() -> HookEvent.of("mailbox-copied")).hasMessageContaining("mailbox-history-copied");
    }
}
