package io.mxcutover.appliance.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Logging of the one-shot commands that start without Dropwizard ({@code sync}, {@code imapsync}): WARN and up on
 * standard output, one line each in the shape Dropwizard's commands print ({@code WARN  [2026-12-06 06:10:00,123]
 * logger: message}, then the stack trace), JDK logging (Angus Mail) routed into it.
 *
 * <p>Set up by hand instead of with Dropwizard's {@code BootstrapLogging}, which parses a pattern layout and loads
 * java.time's formatters at start (~0.1 s of a cold one-shot {@code sync} re-run of ~1 s, in a class-load timeline)
 * and leaves the root logger at DEBUG behind a WARN filter, so every debug call of the copy built an event only to
 * drop it. Here the root logger is at WARN, and the time formatter loads with the first line logged.
 */
public final class OneShotLogging {
    private OneShotLogging() {}

    /** Replaces whatever Logback configured by default; call first thing in {@code main}. */
    public static void setUp() {
        SLF4JBridgeHandler.removeHandlersForRootLogger(); // JDK logging (Angus Mail) into the same lines
        SLF4JBridgeHandler.install();
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        root.setLevel(Level.WARN);
        Line layout = new Line();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.setCharset(java.nio.charset.StandardCharsets.UTF_8); // folder names and addresses, whatever the locale
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("console");
        console.setEncoder(encoder);
        console.start();
        root.addAppender(console);
    }

    /** {@code LEVEL [yyyy-MM-dd HH:mm:ss,SSS UTC] logger: message}, then the stack trace if any. */
    static final class Line extends LayoutBase<ILoggingEvent> {
        @Override
        public String doLayout(ILoggingEvent event) {
            StringBuilder line = new StringBuilder(160);
            String level = event.getLevel().toString();
            line.append(level);
            for (int i = level.length(); i < 6; i++) {
                line.append(' ');
            }
            line.append('[')
                    .append(Time.FORMAT.format(Instant.ofEpochMilli(event.getTimeStamp())))
                    .append("] ")
                    .append(event.getLoggerName())
                    .append(": ")
                    .append(event.getFormattedMessage())
                    .append(CoreConstants.LINE_SEPARATOR);
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                line.append(ThrowableProxyUtil.asString(thrown)).append(CoreConstants.LINE_SEPARATOR);
            }
            return line.toString();
        }
    }

    /** Loaded with the first line logged: a run that logs nothing never loads java.time's formatting. */
    private static final class Time {
        static final DateTimeFormatter FORMAT =
                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS").withZone(ZoneOffset.UTC);
    }
}
