package io.mythos.platform.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which requests of the view routes get the console page (DESIGN.md "Console"): browsers only. */
class AcceptPreferenceTest {

    @Test
    void browsersPreferHtml() {
        // Chromium's and Firefox's navigation headers
        assertTrue(AcceptPreference.prefersHtml("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
                + "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"));
        assertTrue(AcceptPreference.prefersHtml("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"));
        assertTrue(AcceptPreference.prefersHtml("text/html"));
        assertTrue(AcceptPreference.prefersHtml("application/json;q=0.5, text/html"));
    }

    @Test
    void apiClientsGetJson() {
        assertFalse(AcceptPreference.prefersHtml(null), "no Accept header");
        assertFalse(AcceptPreference.prefersHtml(""), "empty");
        assertFalse(AcceptPreference.prefersHtml("*/*"), "curl, REST-assured");
        assertFalse(AcceptPreference.prefersHtml("application/json"), "the console's own fetches, REST clients");
        assertFalse(AcceptPreference.prefersHtml("application/json, text/plain, */*"), "axios");
        assertFalse(AcceptPreference.prefersHtml("text/html;q=0.5, application/json"), "JSON weighted higher");
        assertFalse(AcceptPreference.prefersHtml("text/html, application/json"), "a tie goes to JSON");
        assertFalse(AcceptPreference.prefersHtml("text/event-stream"), "the load stream");
        assertFalse(AcceptPreference.prefersHtml("text/html;q=0, */*"), "HTML refused");
    }

    @Test
    void malformedHeadersNeverFail() {
        assertFalse(AcceptPreference.prefersHtml("garbage"));
        assertFalse(AcceptPreference.prefersHtml("text/html;q=abc, */*"));
        assertFalse(AcceptPreference.prefersHtml(",,;;/"));
        assertTrue(AcceptPreference.prefersHtml("TEXT/HTML ; Q=1, */*;q=0.8"), "case and spaces");
        assertFalse(AcceptPreference.prefersHtml("text/html;q=2, application/json;q=1"), "q above 1 counts as 1: a tie");
    }
}
