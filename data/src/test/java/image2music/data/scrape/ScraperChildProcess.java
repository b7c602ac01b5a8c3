package image2music.data.scrape;

import image2music.data.media.CollectListener;
import image2music.data.media.ImageParams;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Runs an image scrape in its own JVM, so a test can kill the process (SIGKILL) mid-run. Arguments:
 * media root, search endpoint, label, images per label.
 */
public final class ScraperChildProcess {

    private ScraperChildProcess() {}

    public static void main(String[] args) throws Exception {
        HttpParams http = HttpParams.DEFAULTS.withRequestTimeout(Duration.ofSeconds(30));
        ImageScrapeParams p =
                new ImageScrapeParams(
                        List.of(args[2]),
                        Integer.parseInt(args[3]),
                        new BingSearch(URI.create(args[1]), SafeSearch.STRICT, 4),
                        10,
                        Duration.ZERO,
                        3,
                        ImageParams.DEFAULTS,
                        6,
                        false,
                        false);
        new ImageScraper(p, HttpFetcher.create(http), Sleeper.SYSTEM, Clock.systemUTC())
                .run(Path.of(args[0]), CollectListener.NONE);
    }
}
