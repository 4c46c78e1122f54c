package io.mxcutover.sync.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.sync.plan.Identity;
import io.mxcutover.sync.plan.MessageMeta;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SampleCopyTest {
    private static List<MessageMeta> folder(int count, long size) {
        List<MessageMeta> out = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            out.add(new MessageMeta(i, new Identity("<" + i + "@x>", size, 0, "d" + i), Set.of(), 0));
        }
        return out;
    }

    @Test
    void pickShouldSpreadTheSampleOverTheWholeFolder() {
        List<MessageMeta> picked = SampleCopy.pick(folder(1000, 1000));
        assertThat(picked).hasSize(SampleCopy.MESSAGES);
        assertThat(picked.get(0).uid()).isEqualTo(1);
        assertThat(picked.get(picked.size() - 1).uid()).isGreaterThan(990);
    }

    @Test
    void pickShouldTakeEveryMessageOfASmallFolder() {
        assertThat(SampleCopy.pick(folder(30, 1000))).hasSize(30);
    }

    @Test
    void pickShouldStayWithinTheByteBudget() {
        List<MessageMeta> picked = SampleCopy.pick(folder(100, SampleCopy.BYTES / 10));
        assertThat(picked.stream().mapToLong(m -> m.identity().size()).sum()).isLessThanOrEqualTo(SampleCopy.BYTES);
        assertThat(picked).hasSize(10);
    }
}
