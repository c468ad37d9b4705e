-- Orleans membership (clustering) for Microsoft.Orleans.Clustering.AdoNet 10.4.2.
-- Contract: shared/facts/orleans-adonet-contract.md §3.
--
-- One version row per cluster (DeploymentId) is the optimistic-concurrency token for the
-- whole membership table: every insert or update of a member compares it with the version
-- the silo read and increments it, atomically with the row change.

CREATE TABLE orleansmembershipversiontable (
    deploymentid text        PRIMARY KEY,
    timestamp    timestamptz NOT NULL DEFAULT now(),
    version      integer     NOT NULL DEFAULT 0 CHECK (version >= 0)
);

CREATE TABLE orleansmembershiptable (
    deploymentid text        NOT NULL REFERENCES orleansmembershipversiontable (deploymentid),
    address      text        NOT NULL,
    port         integer     NOT NULL,
    generation   integer     NOT NULL,
    siloname     text        NOT NULL,
    hostname     text        NOT NULL,
    status       integer     NOT NULL,
    proxyport    integer,
    suspecttimes text,
    starttime    timestamptz NOT NULL,
    iamalivetime timestamptz NOT NULL,
    PRIMARY KEY (deploymentid, address, port, generation)
);

-- Compare-and-increment of the table version plus the insert of a new member, as one unit.
-- A stale version or an existing row returns false and leaves nothing behind: the inner
-- block is a subtransaction, so the RAISE undoes the version bump.
CREATE FUNCTION orleans_membership_insert(
    p_deploymentid text, p_address text, p_port integer, p_generation integer,
    p_siloname text, p_hostname text, p_status integer, p_proxyport integer,
    p_starttime timestamptz, p_iamalivetime timestamptz, p_version integer)
RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    BEGIN
        UPDATE orleansmembershipversiontable AS v
           SET version = v.version + 1, timestamp = now()
         WHERE v.deploymentid = p_deploymentid
           AND v.version = p_version
           AND v.version < 2147483647;
        IF NOT FOUND THEN
            RETURN false;
        END IF;

        INSERT INTO orleansmembershiptable AS m
               (deploymentid, address, port, generation, siloname, hostname, status, proxyport,
                suspecttimes, starttime, iamalivetime)
        VALUES (p_deploymentid, p_address, p_port, p_generation, p_siloname, p_hostname, p_status,
                p_proxyport, NULL, p_starttime, p_iamalivetime)
        ON CONFLICT DO NOTHING;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'membership row exists' USING ERRCODE = 'P9001';
        END IF;
        RETURN true;
    EXCEPTION WHEN SQLSTATE 'P9001' THEN
        RETURN false;
    END;
END;
$$;

-- Compare-and-increment of the table version plus the update of an existing member.
CREATE FUNCTION orleans_membership_update(
    p_deploymentid text, p_address text, p_port integer, p_generation integer,
    p_status integer, p_suspecttimes text, p_iamalivetime timestamptz, p_version integer)
RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    BEGIN
        UPDATE orleansmembershipversiontable AS v
           SET version = v.version + 1, timestamp = now()
         WHERE v.deploymentid = p_deploymentid
           AND v.version = p_version
           AND v.version < 2147483647;
        IF NOT FOUND THEN
            RETURN false;
        END IF;

        UPDATE orleansmembershiptable AS m
           SET status = p_status, suspecttimes = p_suspecttimes, iamalivetime = p_iamalivetime
         WHERE m.deploymentid = p_deploymentid
           AND m.address = p_address AND m.port = p_port AND m.generation = p_generation;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'membership row missing' USING ERRCODE = 'P9002';
        END IF;
        RETURN true;
    EXCEPTION WHEN SQLSTATE 'P9002' THEN
        RETURN false;
    END;
END;
$$;

INSERT INTO orleansquery (querykey, querytext) VALUES
('UpdateIAmAlivetimeKey', $q$
    UPDATE orleansmembershiptable
       SET iamalivetime = @IAmAliveTime
     WHERE deploymentid = @DeploymentId
       AND address = @Address AND port = @Port AND generation = @Generation
$q$),
('InsertMembershipVersionKey', $q$
    WITH created AS (
        INSERT INTO orleansmembershipversiontable (deploymentid) VALUES (@DeploymentId)
        ON CONFLICT (deploymentid) DO NOTHING
        RETURNING 1
    )
    SELECT EXISTS (SELECT 1 FROM created)
$q$),
('InsertMembershipKey', $q$
    SELECT orleans_membership_insert(@DeploymentId, @Address, @Port, @Generation, @SiloName,
        @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version)
$q$),
('UpdateMembershipKey', $q$
    SELECT orleans_membership_update(@DeploymentId, @Address, @Port, @Generation, @Status,
        @SuspectTimes, @IAmAliveTime, @Version)
$q$),
-- The version row left-joined to the members: one statement, so one consistent snapshot,
-- and always at least one row while the version row exists.
('MembershipReadRowKey', $q$
    SELECT v.version, m.address, m.port, m.generation, m.siloname, m.hostname, m.status,
           m.proxyport, m.suspecttimes, m.starttime, m.iamalivetime
      FROM orleansmembershipversiontable AS v
      LEFT JOIN orleansmembershiptable AS m
        ON m.deploymentid = v.deploymentid
       AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
     WHERE v.deploymentid = @DeploymentId
$q$),
('MembershipReadAllKey', $q$
    SELECT v.version, m.address, m.port, m.generation, m.siloname, m.hostname, m.status,
           m.proxyport, m.suspecttimes, m.starttime, m.iamalivetime
      FROM orleansmembershipversiontable AS v
      LEFT JOIN orleansmembershiptable AS m ON m.deploymentid = v.deploymentid
     WHERE v.deploymentid = @DeploymentId
$q$),
('DeleteMembershipTableEntriesKey', $q$
    DELETE FROM orleansmembershiptable WHERE deploymentid = @DeploymentId;
    DELETE FROM orleansmembershipversiontable WHERE deploymentid = @DeploymentId
$q$),
('GatewaysQueryKey', $q$
    SELECT address, proxyport, generation
      FROM orleansmembershiptable
     WHERE deploymentid = @DeploymentId AND status = @Status AND proxyport > 0
$q$),
-- Used by 10.4.2 only when the per-row key below is absent; kept because it is required.
-- Only dead silos, never the version.
('CleanupDefunctSiloEntriesKey', $q$
    DELETE FROM orleansmembershiptable
     WHERE deploymentid = @DeploymentId
       AND status = 6
       AND iamalivetime < @IAmAliveTime
       AND starttime < @IAmAliveTime
$q$),
-- Deletes one dead silo's row only if it is still exactly what the provider just read.
('CleanupDefunctSiloEntryKey', $q$
    DELETE FROM orleansmembershiptable
     WHERE deploymentid = @DeploymentId
       AND address = @Address AND port = @Port AND generation = @Generation
       AND status = 6
       AND starttime = @StartTime
       AND iamalivetime = @IAmAliveTime
       AND coalesce(suspecttimes, '') = coalesce(CAST(@SuspectTimes AS text), '')
$q$);
