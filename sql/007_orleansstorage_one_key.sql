-- Grain storage: one index, led by the two hashes, instead of the two from 003.
--
-- With two indexes PostgreSQL sometimes looked a grain up through orleansstorage_natural_key:
-- its usable prefix (service, type, n0, n1) is the same for every string-keyed grain of a type,
-- and grainidextensionstring IS NOT DISTINCT FROM … is not an index condition, so the lookup read
-- every task's row to find one (12,000 buffer pages for a single write at 12,000 tasks; about 130
-- a write on average over a workflow benchmark run, depending on the statistics of the moment).
-- Led by the hashes, every plan that uses the index finds the row in a few pages, and the key
-- stays unique: the hashes are functions of the type and the id it already holds.
CREATE UNIQUE INDEX orleansstorage_key
    ON orleansstorage (grainidhash, graintypehash, serviceid, graintypestring, grainidn0, grainidn1, grainidextensionstring)
    NULLS NOT DISTINCT;

DROP INDEX orleansstorage_natural_key;
DROP INDEX orleansstorage_hashes;
