-- Changes whenever an @event trigger of the instance is created or deleted (a new random value, so
-- that an instance deleted and created again never shows an earlier value): a node keeps the
-- parsed rules of an instance's @event triggers while the tag it read them under is still current.
ALTER TABLE instance ADD COLUMN event_rules_tag BIGINT NOT NULL DEFAULT 0;
