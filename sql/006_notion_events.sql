-- Notion webhook events already accepted, by their id, so a repeated delivery (Notion tries up to
-- eight times, and several gateways may each receive one) cues its page only once. The gateways
-- insert them in batches and delete them after the retention window (PIPELINE_NOTION_EVENT_RETENTION_HOURS).
CREATE TABLE notion_events (
    event_id    text        PRIMARY KEY,
    page_id     text        NOT NULL,
    received_at timestamptz NOT NULL
);

CREATE INDEX notion_events_by_age ON notion_events (received_at);
