-- Orleans grain storage for Microsoft.Orleans.Persistence.AdoNet 10.4.2.
-- Contract: shared/facts/orleans-adonet-contract.md §4.
--
-- version is the grain's ETag: every write is a compare-and-set on it, so a stale
-- activation's write matches no row and Orleans raises InconsistentStateException.

CREATE TABLE orleansstorage (
    grainidhash            integer     NOT NULL,
    grainidn0              bigint      NOT NULL,
    grainidn1              bigint      NOT NULL,
    graintypehash          integer     NOT NULL,
    graintypestring        text        NOT NULL,
    grainidextensionstring text,
    serviceid              text        NOT NULL,
    payloadbinary          bytea,
    modifiedon             timestamptz NOT NULL DEFAULT now(),
    version                integer
);

-- Lookups go by the two hashes (string-keyed grains all share n0 = n1 = 0).
CREATE INDEX orleansstorage_hashes ON orleansstorage (grainidhash, graintypehash);

-- Upstream has no unique key, so two concurrent first writes could both insert and make
-- every later read fail. With this key the second insert does nothing and reports a conflict.
CREATE UNIQUE INDEX orleansstorage_natural_key
    ON orleansstorage (serviceid, graintypestring, grainidn0, grainidn1, grainidextensionstring)
    NULLS NOT DISTINCT;

INSERT INTO orleansquery (querykey, querytext) VALUES
('ReadFromStorageKey', $q$
    SELECT payloadbinary, version
      FROM orleansstorage
     WHERE grainidhash = @GrainIdHash AND graintypehash = @GrainTypeHash
       AND serviceid = @ServiceId AND graintypestring = @GrainTypeString
       AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1
       AND grainidextensionstring IS NOT DISTINCT FROM CAST(@GrainIdExtensionString AS text)
$q$),
-- A NULL GrainStateVersion means "no row yet": insert version 1 unless a row exists.
-- Otherwise update only where the version still matches, and return the next one.
('WriteToStorageKey', $q$
    WITH updated AS (
        UPDATE orleansstorage
           SET payloadbinary = @PayloadBinary, version = version + 1, modifiedon = now()
         WHERE CAST(@GrainStateVersion AS integer) IS NOT NULL
           AND version = CAST(@GrainStateVersion AS integer)
           AND grainidhash = @GrainIdHash AND graintypehash = @GrainTypeHash
           AND serviceid = @ServiceId AND graintypestring = @GrainTypeString
           AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1
           AND grainidextensionstring IS NOT DISTINCT FROM CAST(@GrainIdExtensionString AS text)
        RETURNING version
    ), inserted AS (
        INSERT INTO orleansstorage (grainidhash, grainidn0, grainidn1, graintypehash, graintypestring,
                                    grainidextensionstring, serviceid, payloadbinary, version)
        SELECT @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
               CAST(@GrainIdExtensionString AS text), @ServiceId, @PayloadBinary, 1
         WHERE CAST(@GrainStateVersion AS integer) IS NULL
        ON CONFLICT DO NOTHING
        RETURNING version
    )
    SELECT version AS NewGrainStateVersion FROM updated
    UNION ALL
    SELECT version FROM inserted
$q$),
-- Soft clear: the row stays with no payload, so the version keeps counting up.
('ClearStorageKey', $q$
    UPDATE orleansstorage
       SET payloadbinary = NULL, version = version + 1, modifiedon = now()
     WHERE version = CAST(@GrainStateVersion AS integer)
       AND grainidhash = @GrainIdHash AND graintypehash = @GrainTypeHash
       AND serviceid = @ServiceId AND graintypestring = @GrainTypeString
       AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1
       AND grainidextensionstring IS NOT DISTINCT FROM CAST(@GrainIdExtensionString AS text)
    RETURNING version
$q$),
('DeleteStorageKey', $q$
    DELETE FROM orleansstorage
     WHERE version = CAST(@GrainStateVersion AS integer)
       AND grainidhash = @GrainIdHash AND graintypehash = @GrainTypeHash
       AND serviceid = @ServiceId AND graintypestring = @GrainTypeString
       AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1
       AND grainidextensionstring IS NOT DISTINCT FROM CAST(@GrainIdExtensionString AS text)
    RETURNING version + 1
$q$);
