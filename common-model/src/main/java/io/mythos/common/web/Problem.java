package io.mythos.common.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** RFC 9457 problem details, the body of every error answer. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Problem", description = "RFC 9457 problem details (application/problem+json)")
public record Problem(
        @Schema(example = "about:blank") String type,
        @Schema(example = "Bad Request") String title,
        @Schema(example = "400") int status,
        @Schema(example = "name: must not be blank") String detail,
        List<Violation> violations) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One invalid field: its JSON path in snake_case and what is wrong with it. */
    public record Violation(@Schema(example = "name") String field,
                            @Schema(example = "must not be blank") String message) {
    }
}
