-- task_state: each task grain's state (JSON), written by the task state storage together with the task's
-- read-model rows in one transaction, for many tasks at once (a group commit).
CREATE TABLE task_state (
    task_id    text        PRIMARY KEY,
    version    integer     NOT NULL,
    payload    bytea,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Task states stored before, by the ADO.NET provider (string keys are in grainidextensionstring; the payload
-- is the same JSON). Their rows in orleansstorage are no longer read.
INSERT INTO task_state (task_id, version, payload, updated_at)
SELECT grainidextensionstring, 1, payloadbinary, modifiedon
FROM orleansstorage
WHERE graintypestring = 'task' AND payloadbinary IS NOT NULL AND grainidextensionstring IS NOT NULL
ON CONFLICT (task_id) DO NOTHING;
