package image2music.models;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Locates test fixtures copied under {@code src/test/resources/fixtures/}. */
public final class Fixtures {

    private Fixtures() {}

    /** The path of {@code fixtures/<relative>} on the test class path. */
    public static Path path(String relative) {
        URL url = Fixtures.class.getResource("/fixtures/" + relative);
        if (url == null) {
            throw new IllegalStateException("Missing test fixture fixtures/" + relative);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
