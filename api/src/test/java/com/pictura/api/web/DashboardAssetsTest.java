package com.pictura.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.pictura.api.IntegrationTest;
import org.junit.jupiter.api.Test;

/**
 * The dashboard is static files served by the application itself: {@code /} is its page, and every script it
 * runs comes from this origin as a file (the content policy forbids inline scripts and other origins), with a
 * type the browser accepts for modules.
 */
class DashboardAssetsTest extends IntegrationTest {

    private static final Pattern SCRIPT = Pattern.compile("<script\\b([^>]*)>(.*?)</script>",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern SRC = Pattern.compile("\\bsrc\\s*=\\s*\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);
    private static final Pattern STYLESHEET = Pattern.compile("<link\\b[^>]*rel=\"stylesheet\"[^>]*href=\"([^\"]*)\"",
            Pattern.CASE_INSENSITIVE);
    /** The specifier of an import statement: {@code import {a} from './x.js';} or {@code import './x.js';}. */
    private static final Pattern IMPORT = Pattern.compile("^import\\b.*?['\"]([^'\"]+)['\"];?\\s*$");

    @Test
    void theRootIsTheDashboardPageWithOnlySameOriginScriptFilesAndNoInlineCode() {
        var page = http.get("/", null);

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.header("Content-Security-Policy")).contains("default-src 'self'");
        // Revalidated on every load: a release never runs against modules cached from the one before.
        assertThat(page.header("Cache-Control")).contains("no-cache");
        String html = page.body();
        assertThat(html).contains("id=\"main\"");
        Matcher scripts = SCRIPT.matcher(html);
        int count = 0;
        while (scripts.find()) {
            count++;
            assertThat(scripts.group(2)).as("inline script body").isBlank();
            Matcher src = SRC.matcher(scripts.group(1));
            assertThat(src.find()).as("script without src: " + scripts.group()).isTrue();
            assertThat(sameOrigin(src.group(1))).as(src.group(1)).isTrue();
        }
        assertThat(count).as("scripts on the page").isPositive();
        // No inline event handler attributes (onclick=..., onload=...) and no javascript: links.
        assertThat(html).doesNotContainPattern("(?i)\\son[a-z]+\\s*=");
        assertThat(html).doesNotContainIgnoringCase("javascript:");
    }

    @Test
    void everyModuleThePageLoadsIsServedFromHereAsJavaScript() {
        String html = http.get("/", null).body();
        Deque<String> queue = new ArrayDeque<>();
        Matcher scripts = SCRIPT.matcher(html);
        while (scripts.find()) {
            Matcher src = SRC.matcher(scripts.group(1));
            if (src.find()) {
                queue.add(resolve("/", src.group(1)));
            }
        }
        Set<String> seen = new LinkedHashSet<>();
        while (!queue.isEmpty()) {
            String path = queue.poll();
            if (!seen.add(path)) {
                continue;
            }
            var module = http.get(path, null);
            assertThat(module.status()).as(path).isEqualTo(200);
            assertThat(module.header("Content-Type")).as(path).matches("(text|application)/javascript.*");
            assertThat(module.header("Cache-Control")).as(path).contains("no-cache");
            for (String target : imports(module.body())) {
                assertThat(target).as(path + " imports " + target).matches("\\.{1,2}/.*\\.js");
                queue.add(resolve(path, target));
            }
        }
        // The shell, the API client and the pages: far more than the one file the page names.
        assertThat(seen).contains("/js/app.js", "/js/api.js", "/js/pages/keys.js", "/js/pages/billing.js");
    }

    @Test
    void theStylesheetIsServedAsCss() {
        Matcher link = STYLESHEET.matcher(http.get("/", null).body());
        assertThat(link.find()).isTrue();
        var css = http.get(resolve("/", link.group(1)), null);

        assertThat(css.status()).isEqualTo(200);
        assertThat(css.header("Content-Type")).startsWith("text/css");
        assertThat(css.body()).contains("@media");
    }

    @Test
    void theFetchWrapperSendsTheCsrfHeaderAndTheSessionCookie() {
        String client = http.get("/js/api.js", null).body();

        assertThat(client).contains("X-XSRF-TOKEN").contains("XSRF-TOKEN=").contains("credentials: 'same-origin'");
    }

    /**
     * The imports at the head of a module, before its first statement (the modules here keep them there, one a
     * line); an example in a string further down (the quick start's Node snippet) is no import.
     */
    private static java.util.List<String> imports(String module) {
        java.util.List<String> found = new java.util.ArrayList<>();
        for (String line : module.split("\\R")) {
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("//")) {
                continue;
            }
            Matcher m = IMPORT.matcher(text);
            if (!m.matches()) {
                break;
            }
            found.add(m.group(1));
        }
        return found;
    }

    /** Relative to this origin: no scheme, no protocol-relative {@code //host}. */
    private static boolean sameOrigin(String url) {
        return !url.startsWith("//") && !url.matches("(?i)^[a-z][a-z0-9+.-]*:.*");
    }

    private static String resolve(String from, String target) {
        return java.net.URI.create("http://x" + from).resolve(target).getPath();
    }
}
