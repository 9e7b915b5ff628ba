package io.mythos.common.healing;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The active and future silences, soonest ending first, and how many there are. */
@Schema(name = "SilenceList")
public record SilenceList(List<Silence> silences, long total) {
}
