-- Changes whenever an @event trigger of the instance is created or deleted (a new random value, so
-- that an instance deleted and created again never shows an earlier value): a node keeps the
-- parsed rules of an instance's @event triggers while the tag it read them under is still current.
-- Nodes of the previous version do not renew it: while an upgrade rolls, a trigger they create or
-- delete is seen by the new nodes within a minute (the longest a node keeps rules in any case).
ALTER TABLE instance ADD COLUMN event_rules_tag BIGINT DEFAULT 0 NOT NULL;
