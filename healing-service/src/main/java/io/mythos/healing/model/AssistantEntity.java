package io.mythos.healing.model;

import io.mythos.common.healing.Assistant;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A row of the assistant registry. */
@Entity
@Table(name = "assistant")
public class AssistantEntity {

    @Id
    @Column(name = "assistant_id", length = 150)
    public String assistantId;

    @Column(nullable = false, length = 150)
    public String name;

    @Column(name = "assistant_group", nullable = false, length = 150)
    public String group;

    @Column(nullable = false, length = 150)
    public String zone;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    public Assistant toView() {
        return new Assistant(assistantId, name, group, zone, createdAt);
    }
}
