package image2music.pipeline;

import image2music.models.clip.CLIPTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A generator's text encoder input ids for texts, as Stable Diffusion tokenizes prompts. */
public final class TokenizationService {

    /** One text and its ids: BOS, the tokens (at most model_max_length − 2), EOS, padding. */
    public record Tokenized(String text, long[] inputIds) {}

    /**
     * Tokenizes {@code texts} with the CLIP tokenizer folder {@code dir} (vocab.json + merges.txt),
     * or the {@code tokenizer/} of the pipeline folder {@code dir}.
     *
     * @throws IOException naming the folder when it holds no tokenizer
     */
    public List<Tokenized> run(Path dir, List<String> texts) throws IOException {
        Path inner = dir.resolve("tokenizer");
        boolean pipeline =
                !Files.exists(dir.resolve(CLIPTokenizer.VOCAB)) && Files.isDirectory(inner);
        CLIPTokenizer t = CLIPTokenizer.load(pipeline ? inner : dir);
        List<Tokenized> out = new ArrayList<>(texts.size());
        for (String text : texts) {
            out.add(new Tokenized(text, t.inputIds(text)));
        }
        return out;
    }
}
