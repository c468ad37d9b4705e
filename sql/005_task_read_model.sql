-- The read model of tasks, kept by the task grains, read by the admin API: listing and
-- filtering thousands of tasks must not wake thousands of grains.
--
-- tasks: one current row per task. seq is the grain's transition number; an upsert only
-- moves a row forward, so a late or repeated write can never roll it back.
CREATE TABLE tasks (
    task_id     text          PRIMARY KEY,
    channel_id  text          NOT NULL,
    title       text          NOT NULL,
    status      text          NOT NULL,
    priority    integer       NOT NULL DEFAULT 0,
    retry_count integer       NOT NULL DEFAULT 0,
    last_error  text,
    cost_usd    numeric(12,4) NOT NULL DEFAULT 0,
    youtube_url text,
    seq         integer       NOT NULL,
    created_at  timestamptz   NOT NULL,
    updated_at  timestamptz   NOT NULL
);

-- The admin API lists newest changes first, optionally by status and/or channel.
CREATE INDEX tasks_recent ON tasks (updated_at DESC, task_id);
CREATE INDEX tasks_by_status ON tasks (status, updated_at DESC, task_id);
CREATE INDEX tasks_by_channel ON tasks (channel_id, status, updated_at DESC, task_id);

-- task_transitions: the append-only history. (task_id, seq) makes a replayed write a no-op.
CREATE TABLE task_transitions (
    task_id     text        NOT NULL,
    seq         integer     NOT NULL,
    from_status text,
    to_status   text        NOT NULL,
    actor       text        NOT NULL CHECK (actor IN ('system', 'human')),
    kind        text,
    reason      text,
    by_whom     text,
    at          timestamptz NOT NULL,
    PRIMARY KEY (task_id, seq)
);
