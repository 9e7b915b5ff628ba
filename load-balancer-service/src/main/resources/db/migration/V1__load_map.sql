-- The load map: assistants (capacity, memory entropy), the codices they own, the rituals they run.
CREATE TABLE lb_assistant (
    assistant_id    varchar(150) PRIMARY KEY,
    assistant_group varchar(150)     NOT NULL,
    capacity        double precision NOT NULL CHECK (capacity > 0),
    memory_entropy  double precision NOT NULL CHECK (memory_entropy BETWEEN 0 AND 1),
    updated_at      timestamptz      NOT NULL DEFAULT now()
);
CREATE INDEX lb_assistant_group ON lb_assistant (assistant_group);

CREATE TABLE codex (
    codex_id     varchar(150) PRIMARY KEY,
    assistant_id varchar(150)     NOT NULL REFERENCES lb_assistant (assistant_id),
    pressure     double precision NOT NULL CHECK (pressure >= 0),
    updated_at   timestamptz      NOT NULL DEFAULT now()
);
CREATE INDEX codex_assistant ON codex (assistant_id);

CREATE TABLE ritual (
    ritual_id    varchar(150) PRIMARY KEY,
    assistant_id varchar(150)     NOT NULL REFERENCES lb_assistant (assistant_id),
    density      double precision NOT NULL CHECK (density >= 0),
    priority     varchar(16)      NOT NULL CHECK (priority IN ('critical', 'normal', 'low')),
    updated_at   timestamptz      NOT NULL DEFAULT now()
);
CREATE INDEX ritual_assistant ON ritual (assistant_id);
