-- 0001: curated catalogue of tools, licences, features, deployments and their sources.
-- Every fact row carries source_url and checked_on. Column names are English snake_case.

CREATE TABLE licences (
    spdx_id         VARCHAR PRIMARY KEY,
    name            VARCHAR NOT NULL,
    family          VARCHAR NOT NULL CHECK (family IN ('permissive', 'weak_copyleft', 'strong_copyleft',
                                                       'network_copyleft', 'source_available', 'proprietary')),
    osi_approved    BOOLEAN NOT NULL,
    network_clause  BOOLEAN NOT NULL,
    obligations_en  VARCHAR,
    obligations_fr  VARCHAR,
    source_url      VARCHAR NOT NULL,
    checked_on      DATE NOT NULL
);

CREATE TABLE tools (
    tool_id              VARCHAR PRIMARY KEY,
    name                 VARCHAR NOT NULL,
    homepage             VARCHAR,
    repo_url             VARCHAR,
    licence_spdx         VARCHAR NOT NULL,
    licence_evidence_url VARCHAR,
    first_release_year   INTEGER,
    origin_country       VARCHAR,
    maintainer           VARCHAR,
    status               VARCHAR,
    programming_language VARCHAR,
    description_en       VARCHAR,
    description_fr       VARCHAR,
    source_url           VARCHAR NOT NULL,
    source_commit        VARCHAR,
    checked_on           DATE NOT NULL
);

CREATE TABLE features (
    feature_id     VARCHAR PRIMARY KEY,
    category       VARCHAR,
    label_en       VARCHAR NOT NULL,
    label_fr       VARCHAR NOT NULL,
    definition_en  VARCHAR NOT NULL,
    definition_fr  VARCHAR NOT NULL,
    source_url     VARCHAR,
    checked_on     DATE
);

CREATE TABLE tool_features (
    tool_id        VARCHAR NOT NULL,
    feature_id     VARCHAR NOT NULL,
    evidence_level VARCHAR NOT NULL CHECK (evidence_level IN ('self_declared', 'code', 'third_party')),
    source_url     VARCHAR NOT NULL,
    source_commit  VARCHAR,
    note           VARCHAR,
    checked_on     DATE NOT NULL,
    PRIMARY KEY (tool_id, feature_id)
);

CREATE TABLE licence_events (
    tool_id        VARCHAR NOT NULL,
    date           DATE NOT NULL,
    from_spdx      VARCHAR,
    to_spdx        VARCHAR NOT NULL,
    evidence_url   VARCHAR NOT NULL,
    note           VARCHAR,
    source_url     VARCHAR NOT NULL,
    checked_on     DATE NOT NULL,
    PRIMARY KEY (tool_id, date)
);

-- origin = 'dataset' for curated rows shipped in datasets/; collectors use their own name, so
-- `observatory build` replaces only the curated rows and never touches collected ones.
CREATE TABLE deployments (
    deployment_id     VARCHAR PRIMARY KEY,
    tool_id           VARCHAR NOT NULL,
    organisation      VARCHAR NOT NULL,
    organisation_type VARCHAR,
    country           VARCHAR,
    country_method    VARCHAR,
    region            VARCHAR,
    url               VARCHAR,
    started_year      INTEGER,
    latitude          DOUBLE,
    longitude         DOUBLE,
    source_url        VARCHAR NOT NULL,
    source_commit     VARCHAR,
    checked_on        DATE NOT NULL,
    origin            VARCHAR NOT NULL DEFAULT 'dataset',
    first_seen        DATE,
    last_seen         DATE,
    removed_on        DATE
);

CREATE TABLE sources (
    source_id   VARCHAR PRIMARY KEY,
    title       VARCHAR NOT NULL,
    url         VARCHAR NOT NULL,
    publisher   VARCHAR,
    kind        VARCHAR,
    source_commit VARCHAR,
    licence     VARCHAR,
    notes       VARCHAR,
    checked_on  DATE NOT NULL
);

-- One row per user-facing table: where it comes from, under which licence, how fresh.
-- Filled by `observatory build` from datapackage.json and by collectors/importers for their tables.
CREATE TABLE table_meta (
    table_name  VARCHAR PRIMARY KEY,
    package     VARCHAR,
    title       VARCHAR,
    description VARCHAR,
    licence     VARCHAR,
    source      VARCHAR,
    checked_on  DATE,
    loaded_at   TIMESTAMP
);
