package image2music.data.scrape;

/** Bing's adult-content filter, sent as the {@code adlt} query parameter. */
public enum SafeSearch {
    STRICT("strict"),
    MODERATE("moderate"),
    OFF("off");

    private final String parameter;

    SafeSearch(String parameter) {
        this.parameter = parameter;
    }

    /** The {@code adlt} value. */
    public String parameter() {
        return parameter;
    }
}
