package image2music.spark;

import com.google.gson.Gson;
import image2music.audio.dataset.BuiltFile;
import java.io.Serializable;

/**
 * What a task reports to the driver for one file: its {@link BuiltFile} entry (as JSON, since the
 * record is not serializable) or why it failed.
 */
public record FileOutcome(
        String name, String sha256, boolean resumed, String entryJson, String error)
        implements Serializable {

    private static final Gson GSON = new Gson();

    static FileOutcome built(BuiltFile entry, boolean resumed) {
        return new FileOutcome(entry.source(), entry.sha256(), resumed, GSON.toJson(entry), null);
    }

    static FileOutcome failed(SourceFile s, String error) {
        return new FileOutcome(s.name(), s.sha256(), false, null, error);
    }

    public boolean failed() {
        return error != null;
    }

    public BuiltFile entry() {
        return entryJson == null ? null : GSON.fromJson(entryJson, BuiltFile.class);
    }
}
