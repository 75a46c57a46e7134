-- 0012: how each deployment's URL and organisation type were obtained, and what each project claims about its
-- own reach (so listed deployments are read next to the claim, never as market share).

ALTER TABLE deployments ADD COLUMN organisation_type_method VARCHAR;
ALTER TABLE deployments ADD COLUMN url_kind VARCHAR;
ALTER TABLE deployments ADD COLUMN source_status VARCHAR;

CREATE TABLE deployment_claims (
    tool_id        VARCHAR NOT NULL,
    claimed_count  INTEGER NOT NULL,
    claim_text     VARCHAR NOT NULL,
    claim_scope    VARCHAR NOT NULL,
    source_url     VARCHAR NOT NULL,
    source_commit  VARCHAR,
    claimed_on     DATE,
    checked_on     DATE NOT NULL,
    PRIMARY KEY (tool_id, claim_scope, source_url)
);
