package org.jobstack.web;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jobstack.common.PageCursor;
import org.jobstack.common.PageSlice;
import org.jobstack.common.Problem;
import org.jobstack.web.JsonApi.Document;
import org.jobstack.web.JsonApi.Resource;
import org.springframework.http.ResponseEntity;

/**
 * One page of a listing, read from the request: at most {@code limit} rows after {@code after}
 * (none: from the start). Stores are asked for {@link #fetch()} rows, one more than the page, so
 * that a {@code links.next} is given exactly when more rows follow.
 */
public record Page(int limit, PageCursor after) {

    public static final String LIMIT = "page[limit]";

    /** {@code page[limit]} (1 to {@code max}, {@code fallback} when absent) and {@code page[cursor]}. */
    public static Page of(HttpServletRequest request, int fallback, int max) {
        String limit = request.getParameter(LIMIT);
        int n = fallback;
        if (limit != null) {
            try {
                n = Integer.parseInt(limit.strip());
            } catch (NumberFormatException e) {
                throw Problem.malformed(LIMIT, "page[limit] must be an integer");
            }
            if (n < 1 || n > max) {
                throw Problem.invalid(LIMIT, "page[limit] must be between 1 and " + max);
            }
        }
        return withLimit(request, n);
    }

    /** A page of the given size, starting at the request's {@code page[cursor]} if any. */
    public static Page withLimit(HttpServletRequest request, int limit) {
        String cursor = request.getParameter(PageCursor.PARAMETER);
        return new Page(limit, cursor == null || cursor.isBlank() ? null : PageCursor.decode(cursor));
    }

    public int fetch() {
        return limit + 1;
    }

    /** The JSON:API list of the rows fetched for this page, with {@code links.next} when more follow. */
    public <T> ResponseEntity<Document> answer(
            List<T> fetched, Function<T, Resource> render, Function<T, PageCursor> key, HttpServletRequest request) {
        PageSlice<T> page = PageSlice.of(fetched, limit, key);
        Map<String, String> links = page.next() == null ? null : Map.of("next", next(request, page.next()));
        return JsonApi.list(page.rows().stream().map(render).toList(), links);
    }

    /** The same request (path and other parameters) with the cursor after the page's last row. */
    private static String next(HttpServletRequest request, PageCursor last) {
        StringBuilder link = new StringBuilder(request.getRequestURI()).append('?');
        request.getParameterMap().forEach((name, values) -> {
            if (!name.equals(PageCursor.PARAMETER)) {
                for (String value : values) {
                    link.append(encode(name)).append('=').append(encode(value)).append('&');
                }
            }
        });
        return link.append(PageCursor.PARAMETER)
                .append('=')
                .append(last.encode())
                .toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("%5B", "[").replace("%5D", "]");
    }
}
