package image2music.app.cli.generate;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import image2music.pipeline.TokenizationService;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tokenize}: the CLIP text encoder's input ids for prompts. */
@Command(
        name = "tokenize",
        mixinStandardHelpOptions = true,
        description = {
            "Tokenizes prompts with a CLIP tokenizer folder (vocab.json + merges.txt, e.g. the"
                    + " tokenizer/ folder of a generator) as Stable Diffusion does.",
            "Prints one JSON object per text: {\"text\": ..., \"input_ids\": [...]}, the ids"
                    + " being BOS, the tokens (at most model_max_length - 2), EOS and padding."
        })
public final class TokenizeCommand implements Callable<Integer> {

    @Option(
            names = "--tokenizer",
            required = true,
            paramLabel = "DIR",
            description = "Tokenizer folder, or a generator (pipeline) folder holding tokenizer/.")
    Path tokenizer;

    @Parameters(arity = "1..*", paramLabel = "TEXT", description = "Texts to tokenize.")
    List<String> texts;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Gson gson = new GsonBuilder().disableHtmlEscaping().create();
        PrintWriter out = spec.commandLine().getOut();
        for (TokenizationService.Tokenized r : new TokenizationService().run(tokenizer, texts)) {
            JsonObject o = new JsonObject();
            o.addProperty("text", r.text());
            JsonArray ids = new JsonArray();
            for (long id : r.inputIds()) {
                ids.add(id);
            }
            o.add("input_ids", ids);
            out.println(gson.toJson(o));
        }
        out.flush();
        return 0;
    }
}
