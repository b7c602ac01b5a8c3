package image2music.data.scrape;

import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for Bing and the image hosts: {@code /images/async?q=&first=&count=} serves
 * result pages in Bing's structure (see {@link #bingPage}); {@code /img/<name>} serves registered
 * bodies, each with an optional fault injected on its first requests.
 */
public final class FakeWebServer implements AutoCloseable {

    /** Failures a resource can show. */
    public enum Fault {
        /** Answers normally. */
        NONE,
        /** The first request stalls past any client timeout. */
        TIMEOUT_ONCE,
        /** The first two requests get 500. */
        ERROR_500_TWICE,
        /** The first request gets 429 with {@code Retry-After: 7}. */
        RATE_LIMITED_ONCE,
        /** The first request announces the full length but sends half and closes. */
        TRUNCATED_ONCE,
        /** Every request gets 500. */
        ERROR_500_ALWAYS,
        /** Every request gets 404. */
        NOT_FOUND
    }

    private record Resource(byte[] body, String contentType, Fault fault) {}

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(16);
    private final Map<String, Resource> resources = new ConcurrentHashMap<>();
    private final Map<String, List<ImageHit>> results = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final CountDownLatch stalled = new CountDownLatch(1);
    private volatile String gatedPath;
    private volatile Fault searchFault = Fault.NONE;
    private final CountDownLatch gateReached = new CountDownLatch(1);
    private final CountDownLatch gateOpen = new CountDownLatch(1);

    public FakeWebServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/images/async", this::searchPage);
        server.createContext("/img/", this::image);
        server.start();
    }

    public URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public URI searchEndpoint() {
        return base().resolve("/images/async");
    }

    public String imageUrl(String name) {
        return base().resolve("/img/" + name).toString();
    }

    /** Registers an image body at {@code /img/<name>}. */
    public void image(String name, byte[] body, String contentType, Fault fault) {
        resources.put("/img/" + name, new Resource(body, contentType, fault));
    }

    /** The results Bing returns for {@code query}, in order. */
    public void results(String query, List<ImageHit> list) {
        results.put(query, List.copyOf(list));
    }

    /** Makes result pages fail: {@code ERROR_500_TWICE} per page, or {@code ERROR_500_ALWAYS}. */
    public void searchFault(Fault fault) {
        searchFault = fault;
    }

    /** Requests for {@code path} so far (any outcome). */
    public int requests(String path) {
        AtomicInteger n = hits.get(path);
        return n == null ? 0 : n.get();
    }

    /** Requests for any {@code /img/} path so far. */
    public int imageRequests() {
        return (int) log.stream().filter(p -> p.startsWith("/img/")).count();
    }

    /** Requests for result pages so far. */
    public int pageRequests() {
        return (int) log.stream().filter(p -> p.startsWith("/images/async")).count();
    }

    public List<String> log() {
        return List.copyOf(log);
    }

    /** Makes requests for {@code /img/<name>} wait until {@link #openGate}. */
    public void gate(String name) {
        gatedPath = "/img/" + name;
    }

    public boolean awaitGate(long seconds) throws InterruptedException {
        return gateReached.await(seconds, TimeUnit.SECONDS);
    }

    public void openGate() {
        gateOpen.countDown();
    }

    private void searchPage(HttpExchange ex) throws IOException {
        try (ex) {
            int n = count(ex.getRequestURI().getPath() + "?" + ex.getRequestURI().getRawQuery());
            Fault f = searchFault;
            if (f == Fault.ERROR_500_ALWAYS || (f == Fault.ERROR_500_TWICE && n <= 2)) {
                send(ex, 500, "text/html", "<html>busy</html>".getBytes(StandardCharsets.UTF_8));
                return;
            }
            Map<String, String> q = query(ex.getRequestURI());
            List<ImageHit> all = results.getOrDefault(q.get("q"), List.of());
            int first = Integer.parseInt(q.getOrDefault("first", "1"));
            int count = Integer.parseInt(q.getOrDefault("count", "35"));
            int from = Math.min(all.size(), Math.max(0, first - 1));
            int to = Math.min(all.size(), from + count);
            send(ex, 200, "text/html; charset=utf-8", bingPage(all.subList(from, to), first));
        }
    }

    private void image(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            int n = count(path);
            if (path.equals(gatedPath)) {
                gateReached.countDown();
                try {
                    gateOpen.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    return;
                }
            }
            Resource r = resources.get(path);
            if (r == null) {
                send(
                        ex,
                        404,
                        "text/html",
                        "<html>not found</html>".getBytes(StandardCharsets.UTF_8));
                return;
            }
            switch (r.fault()) {
                case TIMEOUT_ONCE -> {
                    if (n == 1) {
                        try {
                            stalled.await(5, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
                case ERROR_500_TWICE -> {
                    if (n <= 2) {
                        send(ex, 500, "text/plain", "boom".getBytes(StandardCharsets.UTF_8));
                        return;
                    }
                }
                case RATE_LIMITED_ONCE -> {
                    if (n == 1) {
                        ex.getResponseHeaders().add("Retry-After", "7");
                        send(ex, 429, "text/plain", "slow down".getBytes(StandardCharsets.UTF_8));
                        return;
                    }
                }
                case TRUNCATED_ONCE -> {
                    if (n == 1) {
                        ex.getResponseHeaders().add("Content-Type", r.contentType());
                        ex.sendResponseHeaders(200, r.body().length);
                        OutputStream out = ex.getResponseBody();
                        out.write(r.body(), 0, r.body().length / 2);
                        out.flush();
                        // An exception out of the handler makes the server drop the connection
                        // short of the announced length.
                        throw new IOException("truncated on purpose");
                    }
                }
                case ERROR_500_ALWAYS -> {
                    send(ex, 500, "text/plain", "boom".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                case NOT_FOUND -> {
                    send(ex, 404, "text/plain", "gone".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                case NONE -> {}
            }
            send(ex, 200, r.contentType(), r.body());
        }
    }

    private int count(String path) {
        log.add(path);
        return hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body)
            throws IOException {
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> m = new HashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null) {
            return m;
        }
        for (String kv : raw.split("&")) {
            String[] p = kv.split("=", 2);
            m.put(
                    URLDecoder.decode(p[0], StandardCharsets.UTF_8),
                    p.length > 1 ? URLDecoder.decode(p[1], StandardCharsets.UTF_8) : "");
        }
        return m;
    }

    /**
     * A result page in the structure of Bing's {@code /images/async} HTML (2024–2025): a {@code
     * ul.dgControl_list} of {@code li} items, each with an {@code a.iusc} anchor carrying the
     * result's metadata as HTML-escaped JSON in {@code m}, a thumbnail and a caption link.
     */
    static byte[] bingPage(List<ImageHit> hits, int first) {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>Bing images</title></head><body>")
                .append("<div id=\"mmComponent_images_1\" class=\"dgControl hover\">")
                .append("<ul class=\"dgControl_list \">");
        int idx = first;
        for (ImageHit h : hits) {
            JsonObject m = new JsonObject();
            m.addProperty("sid", "");
            m.addProperty("cturl", "");
            m.addProperty("cid", "c" + idx);
            if (h.pageUrl() != null) {
                m.addProperty("purl", h.pageUrl());
            }
            m.addProperty("murl", h.imageUrl());
            m.addProperty("turl", "https://tse1.mm.bing.net/th?id=OIP." + idx);
            m.addProperty("md5", "");
            m.addProperty("shkey", "");
            if (h.title() != null) {
                m.addProperty("t", h.title());
            }
            m.addProperty("mid", "M" + idx);
            m.addProperty("desc", "");
            String title = h.title() == null ? "" : escape(h.title());
            b.append("<li data-idx=\"")
                    .append(idx++)
                    .append("\"><div class=\"iuscp isv\"><div class=\"imgpt\">")
                    .append("<a class=\"iusc\" style=\"height:160px;width:240px\" m=\"")
                    .append(escape(m.toString()))
                    .append("\" mad=\"{&quot;turl&quot;:&quot;&quot;}\"")
                    .append(" href=\"/images/search?view=detailV2&amp;ccid=x&amp;id=")
                    .append(idx)
                    .append("\" h=\"ID=images,5001.1\">")
                    .append("<div class=\"img_cont hoff\"><img class=\"mimg\" height=\"160\"")
                    .append(" width=\"240\" src=\"https://tse1.mm.bing.net/th?id=OIP.x\" alt=\"")
                    .append(title)
                    .append("\"></div></a><div class=\"infnmpt\"><div class=\"infsd\">")
                    .append("<ul class=\"b_dataList\"><li><a class=\"inflnk\" href=\"#\">")
                    .append(title)
                    .append("</a></li></ul></div></div></div></div></li>");
        }
        b.append("</ul></div></body></html>");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;")
                .replace("\"", "&quot;")
                .replace("<", "&lt;")
                .replace(">", "&gt;");
    }

    /** Hits for {@code names} under {@code /img/}, with page URLs and titles. */
    public List<ImageHit> hitsFor(String... names) {
        List<ImageHit> list = new ArrayList<>();
        for (String n : names) {
            list.add(
                    new ImageHit(
                            imageUrl(n), base().resolve("/page/" + n).toString(), "Title " + n));
        }
        return list;
    }

    @Override
    public void close() {
        stalled.countDown();
        gateOpen.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
