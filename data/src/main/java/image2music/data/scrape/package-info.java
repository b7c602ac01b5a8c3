/**
 * Collecting training media from the web: the HTTP client with retries ({@link
 * image2music.data.scrape.HttpFetcher}), Bing image search ({@link
 * image2music.data.scrape.BingSearch}, {@link image2music.data.scrape.BingResultParser}), the image
 * scraper ({@link image2music.data.scrape.ImageScraper}) and the yt-dlp audio collector ({@link
 * image2music.data.scrape.AudioScraper}).
 */
package image2music.data.scrape;
