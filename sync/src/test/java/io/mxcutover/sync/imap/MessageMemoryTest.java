package io.mxcutover.sync.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mxcutover.sync.plan.Identity;
import io.mxcutover.sync.plan.MessageMeta;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MessageMemoryTest {
    @Test
    void tryReserveShouldRefuseWhenMessageIsLargerThanTheLimit() {
        MessageMemory memory = new MessageMemory(100, 300);
        assertFalse(memory.tryReserve(101));
        assertEquals(300, memory.availableBytes());
    }

    @Test
    void tryReserveShouldRefuseWhenBudgetIsTakenAndGrantAgainAfterRelease() {
        MessageMemory memory = new MessageMemory(100, 150);
        assertTrue(memory.tryReserve(100));
        assertFalse(memory.tryReserve(60));
        memory.release(100);
        assertTrue(memory.tryReserve(60));
        assertEquals(90, memory.availableBytes());
    }

    @Test
    void rawMessageCloseShouldReleaseItsReservationOnceWhenClosedTwice() {
        MessageMemory memory = new MessageMemory(100, 100);
        assertTrue(memory.tryReserve(80));
        MessageMeta meta = new MessageMeta(7, new Identity("<a@x>", 80, 1000, "d"), Set.of(), 0);
        RawMessage raw = RawMessage.inMemory(meta, new byte[80], ContentHash.sha256(new byte[80]), memory, 80);
        raw.close();
        raw.close();
        assertEquals(100, memory.availableBytes());
    }
}
