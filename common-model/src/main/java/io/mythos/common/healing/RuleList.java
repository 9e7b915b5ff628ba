package io.mythos.common.healing;

import java.util.List;

/** {@code GET /system/health/rules}: the rule of every signal kind. */
public record RuleList(List<Rule> rules) {
}
