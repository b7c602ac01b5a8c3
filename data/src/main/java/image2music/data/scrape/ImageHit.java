package image2music.data.scrape;

/**
 * One image search result.
 *
 * @param imageUrl the full-size image ({@code murl})
 * @param pageUrl the page showing it ({@code purl}), or null
 * @param title the result's title ({@code t}), or null
 */
public record ImageHit(String imageUrl, String pageUrl, String title) {}
