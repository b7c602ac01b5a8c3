package image2music.app.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in a real browser: Debian's headless Chromium driven by Selenium through Debian's
 * chromedriver (CI installs both; without them this test is skipped, saying so). It uploads a
 * picture, waits for the music, checks the audio element holds a WAV of the asked length and the
 * spectrogram loaded, presses "play on" and waits for a second clip to be scheduled. The screenshot
 * is kept as {@code target/browser-test/web-app.png}.
 */
class BrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir Path models;
    @TempDir Path work;
    @TempDir Path files;

    @Test
    void uploadGenerateListenAndPlayOn() throws IOException {
        Assumptions.assumeTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "needs Debian's chromium and chromium-driver (apt-get install chromium"
                        + " chromium-driver)");
        Path picture = files.resolve("sunset.png");
        Files.write(picture, TestServer.picture());
        try (TestServer server = new TestServer(models, work, TestServer.settings(), 1)) {
            WebDriver driver = browser();
            try {
                driver.get(server.uri("/").toString());
                WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(90));
                JavascriptExecutor js = (JavascriptExecutor) driver;
                wait.until(d -> !d.findElements(By.cssSelector(".chip")).isEmpty());

                WebElement input = driver.findElement(By.id("file"));
                js.executeScript("arguments[0].hidden = false", input);
                input.sendKeys(picture.toString());
                wait.until(d -> !d.findElements(By.cssSelector(".chip.on")).isEmpty());
                assertTrue(
                        driver.findElement(By.cssSelector(".chip.on")).getText().contains("%"),
                        "a chosen mood shows its probability");

                WebElement seconds = driver.findElement(By.id("seconds"));
                seconds.clear();
                seconds.sendKeys("1.5");
                driver.findElement(By.id("generate")).click();

                wait.until(d -> d.findElement(By.id("result")).isDisplayed());
                Object duration =
                        wait.until(
                                d -> {
                                    Object v =
                                            js.executeScript(
                                                    "const a = document.getElementById("
                                                            + "'result-audio');"
                                                            + " return a.readyState >= 1 &&"
                                                            + " isFinite(a.duration) ?"
                                                            + " a.duration : null;");
                                    return v;
                                });
                assertEquals(1.5, ((Number) duration).doubleValue(), 0.01);
                Object loaded =
                        wait.until(
                                d ->
                                        js.executeScript(
                                                "const i = document.getElementById("
                                                        + "'spectrogram'); return i.complete &&"
                                                        + " i.naturalWidth > 0 ? i.naturalWidth :"
                                                        + " null;"));
                assertTrue(((Number) loaded).intValue() > TestServer.WIDTH);
                String error = driver.findElement(By.id("error")).getText();
                assertEquals("", error);

                driver.findElement(By.id("playon")).click();
                wait.until(
                        d -> Integer.parseInt(d.findElement(By.id("clip-count")).getText()) >= 2);
                screenshot(driver);
                driver.findElement(By.id("stop")).click();
            } finally {
                driver.quit();
            }
        }
    }

    private static WebDriver browser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--autoplay-policy=no-user-gesture-required",
                "--window-size=1200,1400");
        // The driver on disk, so Selenium never looks for one on the network.
        ChromeDriverService service =
                new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
        return new ChromeDriver(service, options);
    }

    private static void screenshot(WebDriver driver) throws IOException {
        Path shot =
                ((org.openqa.selenium.TakesScreenshot) driver)
                        .getScreenshotAs(OutputType.FILE)
                        .toPath();
        Path dir = Files.createDirectories(Path.of("target", "browser-test"));
        Files.copy(shot, dir.resolve("web-app.png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
