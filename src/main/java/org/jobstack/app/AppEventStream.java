package org.jobstack.app;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.jobstack.common.Problem;
import org.jobstack.web.JsonApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * An install or update as the stack streams it (§2.3): {@code event: state} frames with the app
 * document at each step, ending at {@code ready}, or an {@code event: error} frame with the message.
 */
final class AppEventStream {

    private static final Logger log = LoggerFactory.getLogger(AppEventStream.class);

    private AppEventStream() {
    }

    /** Runs the work in this thread, writing its progress to the response as it goes. */
    static void run(HttpServletResponse response, Function<AppProgress, App> work, AppDocuments documents,
                    JsonMapper json) throws IOException {
        response.setStatus(200);
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        OutputStream out = response.getOutputStream();
        AppProgress progress = app -> frame(out, "state",
                json.writeValueAsString(new JsonApi.Document(documents.resource(app), null, null)));
        try {
            work.apply(progress);
        } catch (Problem problem) {
            frame(out, "error", json.writeValueAsString(problem.getMessage()));
        } catch (UncheckedIOException e) {
            log.atDebug().setCause(e).log("The client left during an install or update; it went on");
        } catch (RuntimeException e) {
            log.atError().setCause(e).log("App install or update failed");
            frame(out, "error", json.writeValueAsString("Internal error; see the server log"));
        }
    }

    private static void frame(OutputStream out, String event, String data) {
        try {
            out.write(("event: " + event + "\r\ndata: " + data + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
