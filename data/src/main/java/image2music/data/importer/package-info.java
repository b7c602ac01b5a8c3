/**
 * Importing a user's own labelled folders ({@code <label>/*}) into a media root with the scrapers'
 * validation and duplicate detection.
 */
package image2music.data.importer;
