package io.mythos.system;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Every relative Markdown link in README.md, the modules' READMEs and docs/ points at a file or
 * folder of the repository (anchors are not checked), and no text names a contract file that is not
 * in the repository.
 */
class ReadmeLinksTest {

    private static final Path REPO_ROOT = Path.of("").toAbsolutePath().getParent();

    /** [text](target) and [text](target "title"); images too. */
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");

    @Test
    void everyRelativeLinkResolves() throws IOException {
        List<Path> documents = documents();
        assertTrue(documents.size() >= 5, "README.md, the module READMEs and docs/ expected, found " + documents);
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path document : documents) {
            String text = withoutCode(Files.readString(document, StandardCharsets.UTF_8));
            Matcher link = LINK.matcher(text);
            while (link.find()) {
                String target = link.group(1);
                if (target.startsWith("#") || target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
                    continue; // an anchor in the same page, or http:, https:, mailto:
                }
                String file = target.replaceFirst("[#?].*$", "");
                checked++;
                if (!Files.exists(document.getParent().resolve(file).normalize())) {
                    broken.add(REPO_ROOT.relativize(document) + ": " + target);
                }
            }
        }
        assertTrue(checked > 10, "the link pattern found almost no links (" + checked + ")");
        assertTrue(broken.isEmpty(), "links to missing files:\n" + String.join("\n", broken));
    }

    @Test
    void theApiContractAndHouseStyleAreInTheRepository() throws IOException {
        assertTrue(Files.isRegularFile(REPO_ROOT.resolve("docs/API.md")));
        assertTrue(Files.isRegularFile(REPO_ROOT.resolve("docs/STYLE.md")));
        for (Path document : documents()) {
            String text = Files.readString(document, StandardCharsets.UTF_8);
            assertFalse(text.contains("DESIGN.md") || text.contains("../shared/"),
                    document + " names a file outside the repository (DESIGN.md is docs/API.md)");
        }
    }

    private static List<Path> documents() throws IOException {
        List<Path> documents = new ArrayList<>();
        documents.add(REPO_ROOT.resolve("README.md"));
        try (Stream<Path> modules = Files.list(REPO_ROOT)) {
            modules.map(module -> module.resolve("README.md")).filter(Files::isRegularFile).sorted().forEach(documents::add);
        }
        try (Stream<Path> docs = Files.walk(REPO_ROOT.resolve("docs"))) {
            docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(documents::add);
        }
        return documents;
    }

    /** Fenced code blocks and inline code hold examples, not links. */
    private static String withoutCode(String markdown) {
        return markdown.replaceAll("(?s)```.*?```", "").replaceAll("`[^`\\n]*`", "");
    }
}
