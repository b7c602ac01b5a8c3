package image2music.models.vit;

/**
 * One label with the probability the tagger gives it.
 *
 * @param label the label name ({@code id2label})
 * @param probability sigmoid (multi-label) or softmax probability
 */
public record LabelScore(String label, float probability) {}
