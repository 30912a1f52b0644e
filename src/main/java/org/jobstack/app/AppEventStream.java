package org.jobstack.app;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jobstack.common.Problem;
import org.jobstack.web.JsonApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * An install or update as the stack streams it (§2.3): {@code event: state} frames with the app
 * document at each step, ending at {@code ready}; or, on failure, the document in state
 * {@code errored} with its {@code error} (never stored: a failed install leaves nothing, a failed
 * update the previous version) followed by an {@code event: error} frame with the message.
 */
final class AppEventStream {

    private static final Logger log = LoggerFactory.getLogger(AppEventStream.class);

    private AppEventStream() {}

    /** Runs the work in this thread, writing its progress to the response as it goes. */
    static void run(
            HttpServletResponse response, Function<AppProgress, App> work, AppDocuments documents, JsonMapper json)
            throws IOException {
        response.setStatus(200);
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        OutputStream out = response.getOutputStream();
        AtomicReference<App> last = new AtomicReference<>();
        AppProgress progress = app -> {
            last.set(app);
            state(out, app, documents, json);
        };
        try {
            work.apply(progress);
        } catch (Problem problem) {
            failed(out, last.get(), problem.getMessage(), documents, json);
        } catch (UncheckedIOException e) {
            log.atDebug().setCause(e).log("The client left during an install or update; it went on");
        } catch (RuntimeException e) {
            log.atError().setCause(e).log("App install or update failed");
            failed(out, last.get(), "Internal error; see the server log", documents, json);
        }
    }

    /** The app's last document in state {@code errored} (when one was sent), then the error itself. */
    private static void failed(OutputStream out, App last, String why, AppDocuments documents, JsonMapper json) {
        if (last != null) {
            state(out, last.failed(why), documents, json);
        }
        frame(out, "error", json.writeValueAsString(why));
    }

    private static void state(OutputStream out, App app, AppDocuments documents, JsonMapper json) {
        frame(out, "state", json.writeValueAsString(new JsonApi.Document(documents.resource(app), null, null)));
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
