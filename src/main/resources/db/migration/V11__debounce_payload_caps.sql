-- What a debounce window keeps of its webhook payloads, so that a burst is bounded
-- (jobstack.limits.debounced-payloads, jobstack.limits.debounced-payload-bytes): past either cap
-- a payload is counted in payloads_dropped instead of kept.
ALTER TABLE debounce_window ADD COLUMN payloads_kept INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE debounce_window ADD COLUMN payload_bytes BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE debounce_window ADD COLUMN payloads_dropped INTEGER DEFAULT 0 NOT NULL;
UPDATE debounce_window SET
    payloads_kept = (SELECT COUNT(*) FROM debounce_payload p WHERE p.trigger_id = debounce_window.trigger_id),
    payload_bytes = (SELECT COALESCE(SUM(OCTET_LENGTH(p.payload)), 0) FROM debounce_payload p
                     WHERE p.trigger_id = debounce_window.trigger_id);
