package org.jobstack.dashboard;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.jobstack.common.Problem;

/**
 * How dashboard actions answer: a redirect to the page they came from, with a {@code notice}
 * saying what happened or why it was refused (a refused action changes nothing).
 */
final class Redirects {

    private Redirects() {}

    static String act(String page, Supplier<String> action) {
        String notice;
        try {
            notice = action.get();
        } catch (Problem refused) {
            notice = refused.getMessage();
        }
        return redirect(page, notice);
    }

    static String redirect(String page, String notice) {
        return "redirect:" + page + (page.contains("?") ? "&" : "?") + "notice="
                + URLEncoder.encode(notice, StandardCharsets.UTF_8);
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
