-- 0008: what a city needs to trust the catalogue.
-- tools: whether the tool is open source at all (proprietary platforms are catalogued so a comparison is honest),
-- and the evidence behind its status (active | maintained | inactive | archived | historical, checked by validate).
ALTER TABLE tools ADD COLUMN open_source BOOLEAN;
ALTER TABLE tools ADD COLUMN status_evidence_url VARCHAR;
ALTER TABLE tools ADD COLUMN status_checked_on DATE;

-- licence_events: one row per *declaration* of a licence change. Where a project's own texts disagree (a manifest
-- says -only, a commit message says -or-later), each declaration is its own row, flagged with the same conflict id,
-- instead of one value picked silently. `source` says who recorded the row: 'curated' (read by hand) or 'git'
-- (derived from the history by a script). The key (tool_id, date, source, declaration_source) is enforced by the
-- Table Schema at validate, not here: rows written by fixtures or scripts that predate these columns stay loadable.
CREATE TABLE licence_events_0008 (
    tool_id            VARCHAR NOT NULL,
    date               DATE NOT NULL,
    from_spdx          VARCHAR,
    to_spdx            VARCHAR NOT NULL,
    evidence_url       VARCHAR NOT NULL,
    note               VARCHAR,
    source_url         VARCHAR NOT NULL,
    checked_on         DATE NOT NULL,
    source             VARCHAR DEFAULT 'curated' CHECK (source IN ('curated', 'git')),
    declaration_source VARCHAR,
    conflict           VARCHAR
);
INSERT INTO licence_events_0008 (tool_id, date, from_spdx, to_spdx, evidence_url, note, source_url, checked_on)
    SELECT tool_id, date, from_spdx, to_spdx, evidence_url, note, source_url, checked_on FROM licence_events;
DROP TABLE licence_events;
ALTER TABLE licence_events_0008 RENAME TO licence_events;

-- corrections: a disputed fact, who disputed it, when and on what evidence. `observatory build` loads them from
-- datasets/corrections/ and applies each over the compiled row, keeping the original value here.
CREATE TABLE corrections (
    correction_id   VARCHAR PRIMARY KEY,
    table_name      VARCHAR NOT NULL,
    row_id          VARCHAR NOT NULL,
    field           VARCHAR NOT NULL,
    original_value  VARCHAR,
    corrected_value VARCHAR,
    source_url      VARCHAR NOT NULL,
    corrected_by    VARCHAR NOT NULL,
    corrected_on    DATE NOT NULL,
    note            VARCHAR,
    checked_on      DATE NOT NULL
);
