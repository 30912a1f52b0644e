-- Secrets at rest. Every change here only adds, except that this version encrypts the secrets the
-- database holds: a node of an earlier version cannot read them (README, Several nodes: upgrading
-- to this version stops the earlier nodes first).

-- The keys that have encrypted secrets in this database, by id (a hash, never the key). A node
-- refuses to start unless it has every key not retired; a rotation retires all but the new one.
CREATE TABLE encryption_key (
    id         VARCHAR(32) PRIMARY KEY,
    added_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    retired_at TIMESTAMP WITH TIME ZONE
);

-- Room for an encrypted token secret (prefix, key id, nonce and tag around the secret, in base64).
ALTER TABLE instance ALTER COLUMN token_secret SET DATA TYPE VARCHAR(1024);
