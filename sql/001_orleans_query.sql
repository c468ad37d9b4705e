-- The Orleans ADO.NET providers load their SQL from this table at start-up, by key.
-- Unquoted names: the providers' loader query is hard-coded as OrleansQuery(QueryKey, QueryText)
-- and PostgreSQL folds it to lowercase.
CREATE TABLE orleansquery (
    querykey  text PRIMARY KEY,
    querytext text NOT NULL
);
