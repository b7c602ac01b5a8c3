package image2music.pipeline.demo;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import image2music.core.io.AtomicFiles;
import image2music.models.train.MetricsLog;
import image2music.pipeline.evaluate.Evaluation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** Writes the demo's {@code report.html} and {@code demo.json}; media by relative paths. */
final class DemoReport {

    private DemoReport() {}

    static void write(
            DemoResult result, DemoRequest request, DemoPlan plan, Map<String, String> commands)
            throws IOException {
        Path out = request.out();
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<title>image2music demo</title>\n<style>")
                .append("body{font-family:sans-serif;max-width:70em;margin:2em auto;}")
                .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;")
                .append("padding:.4em;vertical-align:top}img.pic{width:128px}")
                .append("img.spec{max-width:32em;image-rendering:pixelated}")
                .append("pre{background:#f4f4f4;padding:.6em;white-space:pre-wrap}</style>")
                .append("</head><body>\n<h1>image2music: picture to music, offline</h1>\n")
                .append("<p>A synthetic mood corpus (")
                .append(plan.moods().size())
                .append(" moods &times; ")
                .append(plan.perMood())
                .append(" pictures and pieces), a ViT tagger and a tiny spectrogram generator")
                .append(" trained from scratch on it; below, music for pictures the tagger never")
                .append(" saw (")
                .append(request.quick() ? "quick run" : "full run")
                .append(", seed ")
                .append(request.seed())
                .append(").</p>\n<table>\n<tr><th>picture</th><th>true mood</th>")
                .append("<th>predicted moods</th><th>prompt</th><th>spectrogram</th>")
                .append("<th>music</th></tr>\n");
        for (DemoResult.Clip c : result.clips()) {
            String png = rel(out, c.wav().resolveSibling(c.name() + ".png"));
            h.append("<tr><td><img class=\"pic\" src=\"")
                    .append(esc(rel(out, c.image())))
                    .append("\" alt=\"")
                    .append(esc(c.name()))
                    .append("\"></td><td>")
                    .append(esc(c.mood()))
                    .append("</td><td>");
            for (Map.Entry<String, Double> p : c.predicted()) {
                h.append(esc(p.getKey()))
                        .append(String.format(Locale.ROOT, " %.2f", p.getValue()))
                        .append("<br>");
            }
            h.append("</td><td>")
                    .append(esc(c.prompt()))
                    .append("</td><td><img class=\"spec\" src=\"")
                    .append(esc(png))
                    .append("\" alt=\"spectrogram\"></td><td><audio controls src=\"")
                    .append(esc(rel(out, c.wav())))
                    .append("\"></audio><br>")
                    .append(String.format(Locale.ROOT, "%.1f s", c.seconds()))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n");
        evaluation(h, out, result.evaluation());
        curves(h, result);
        h.append("<h2>Run each stage again</h2>\n")
                .append("<p>The same verbs work on your own data (a scraped or imported media")
                .append(" folder in place of the corpus).</p>\n<pre>");
        for (String c : commands.values()) {
            h.append(esc(c)).append('\n');
        }
        h.append(esc(result.command())).append("</pre>\n<h2>Timings</h2>\n<ul>");
        for (Map.Entry<String, Double> e : result.stageSeconds().entrySet()) {
            h.append("<li>")
                    .append(esc(e.getKey()))
                    .append(
                            e.getValue() == 0
                                    ? ": skipped or instant"
                                    : String.format(Locale.ROOT, ": %.1f s", e.getValue()))
                    .append("</li>");
        }
        h.append("</ul>\n</body></html>\n");
        AtomicFiles.write(result.report(), h.toString().getBytes(StandardCharsets.UTF_8));

        JsonObject o = new JsonObject();
        o.addProperty("quick", request.quick());
        o.addProperty("seed", request.seed());
        o.addProperty("tagger", rel(out, result.tagger()));
        o.addProperty("generator", rel(out, result.generator()));
        JsonArray clips = new JsonArray();
        for (DemoResult.Clip c : result.clips()) {
            JsonObject j = new JsonObject();
            j.addProperty("name", c.name());
            j.addProperty("image", rel(out, c.image()));
            j.addProperty("mood", c.mood());
            JsonArray p = new JsonArray();
            for (Map.Entry<String, Double> e : c.predicted()) {
                JsonObject l = new JsonObject();
                l.addProperty("label", e.getKey());
                l.addProperty("probability", e.getValue());
                p.add(l);
            }
            j.add("predicted", p);
            j.addProperty(
                    "top_matches_mood",
                    !c.predicted().isEmpty() && c.predicted().get(0).getKey().equals(c.mood()));
            j.addProperty("prompt", c.prompt());
            j.addProperty("wav", rel(out, c.wav()));
            j.addProperty("seconds", c.seconds());
            clips.add(j);
        }
        o.add("clips", clips);
        JsonObject stages = new JsonObject();
        result.stageSeconds().forEach(stages::addProperty);
        o.add("stage_seconds", stages);
        JsonObject cmds = new JsonObject();
        commands.forEach(cmds::addProperty);
        cmds.addProperty("image-to-music", result.command());
        o.add("commands", cmds);
        o.addProperty("evaluation", "evaluation.json");
        AtomicFiles.write(
                result.summary(), (DemoService.json(o) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void evaluation(StringBuilder h, Path out, Evaluation e) {
        h.append("<h2>Does the music fit the mood?</h2>\n<p>A mood classifier (a small ViT")
                .append(" over ")
                .append(e.windowPixels())
                .append("-pixel spectrogram windows, trained on ")
                .append(e.trainWindows())
                .append(" tiles of the corpus) listens to the generator's clips of ")
                .append(e.clipPixels())
                .append(" pixels, window by window; real pieces it never heard give the")
                .append(" reference values. All figures in <a href=\"evaluation.json\">")
                .append("evaluation.json</a>.</p>\n<table>\n<tr><th>measure</th><th>value</th>")
                .append("<th>reference</th><th>target</th></tr>\n");
        metric(
                h,
                "classifier accuracy on held-out real music (ceiling)",
                e.classifierAccuracy(),
                e.heldOutClips() + " clips" + Evaluation.interval(e.classifierAccuracyInterval()),
                "≥ " + Evaluation.TARGET_CEILING);
        metric(
                h,
                "CAS: generated clips heard as the mood asked for",
                e.cas(),
                "chance "
                        + fmt(1.0 / e.classes().size())
                        + ", "
                        + e.generatedClips()
                        + " clips"
                        + Evaluation.interval(e.casInterval()),
                "≥ " + Evaluation.TARGET_CAS);
        e.casPerClass().forEach((k, v) -> metric(h, "&nbsp;&nbsp;CAS " + esc(k), v, "", ""));
        metric(
                h,
                "Fréchet distance to real music (FAD-style)",
                e.frechet(),
                "real vs real " + fmt(e.frechetReference()),
                "≤ " + (int) Evaluation.TARGET_FRECHET_RATIO + "× real vs real");
        metric(
                h,
                "diversity (mean distance within a mood)",
                e.diversityGenerated(),
                "real " + fmt(e.diversityReal()),
                "close to real");
        metric(
                h,
                "distance to the nearest training window",
                e.nearestTrainGenerated(),
                "held-out real " + fmt(e.nearestTrainHeldOut()),
                "≥ held-out real (no copying)");
        if (!e.endToEnd().isEmpty()) {
            metric(
                    h,
                    "picture → music: music heard as the picture's mood",
                    e.endToEndAgreement(),
                    e.endToEnd().size() + " pictures" + Evaluation.interval(e.endToEndInterval()),
                    "≥ " + Evaluation.TARGET_END_TO_END);
        }
        h.append("</table>\n<h3>Generated clips, by the mood asked for</h3>\n<table>\n");
        e.clips()
                .forEach(
                        (mood, pngs) -> {
                            h.append("<tr><th>").append(esc(mood)).append("</th><td>");
                            for (Path png : pngs) {
                                Path wav =
                                        png.resolveSibling(
                                                png.getFileName()
                                                        .toString()
                                                        .replaceFirst("\\.png$", ".wav"));
                                h.append("<img class=\"spec\" src=\"")
                                        .append(esc(rel(out, png)))
                                        .append("\" alt=\"spectrogram\"><br><audio controls src=\"")
                                        .append(esc(rel(out, wav)))
                                        .append("\"></audio><br>");
                            }
                            h.append("</td></tr>\n");
                        });
        h.append("</table>\n");
    }

    private static void metric(
            StringBuilder h, String name, double v, String reference, String target) {
        h.append("<tr><td>")
                .append(name)
                .append("</td><td>")
                .append(fmt(v))
                .append("</td><td>")
                .append(esc(reference))
                .append("</td><td>")
                .append(esc(target))
                .append("</td></tr>\n");
    }

    private static void curves(StringBuilder h, DemoResult result) throws IOException {
        h.append("<h2>Training curves</h2>\n<p>Training loss per logged step.</p>\n");
        h.append("<h3>Tagger</h3>\n")
                .append(LossCurve.svg(result.tagger().resolve(MetricsLog.FILE)))
                .append("\n<h3>Generator</h3>\n")
                .append(LossCurve.svg(result.generator().resolve(MetricsLog.FILE)))
                .append('\n');
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static String rel(Path base, Path p) {
        return base.toAbsolutePath()
                .normalize()
                .relativize(p.toAbsolutePath().normalize())
                .toString()
                .replace('\\', '/');
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
