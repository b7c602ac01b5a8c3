package image2music.data.scrape;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Builds Bing image search page requests: {@code <endpoint>?q=<query>&first=<n>&count=<k>&adlt=<s>}
 * where {@code first} is the 1-based index of the page's first result.
 *
 * @param endpoint the search page base URL (Bing's async image results page by default)
 * @param safeSearch the adult-content filter
 * @param pageSize results asked for per page
 */
public record BingSearch(URI endpoint, SafeSearch safeSearch, int pageSize) {

    /** Bing's HTML endpoint that returns result pages without the surrounding site. */
    public static final URI DEFAULT_ENDPOINT = URI.create("https://www.bing.com/images/async");

    public BingSearch {
        if (pageSize < 1 || pageSize > 150) {
            throw new IllegalArgumentException("page size must be in 1..150, got " + pageSize);
        }
        String scheme = endpoint.getScheme();
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https"))) {
            throw new IllegalArgumentException("endpoint '" + endpoint + "' is not an http(s) URL");
        }
    }

    /** The request for result page {@code page} (0-based) of {@code query}. */
    public URI pageUri(String query, int page) {
        int first = 1 + page * pageSize;
        String base = endpoint.toString();
        String sep = base.contains("?") ? "&" : "?";
        return URI.create(
                base
                        + sep
                        + "q="
                        + URLEncoder.encode(query, StandardCharsets.UTF_8)
                        + "&first="
                        + first
                        + "&count="
                        + pageSize
                        + "&adlt="
                        + safeSearch.parameter());
    }
}
