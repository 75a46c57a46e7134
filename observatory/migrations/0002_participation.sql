-- 0002: instance participation data (Decidim, Consul Democracy, ...), shared by the instance collectors
-- and the open-data importers. Every row records the platform and, where known, its version, because
-- metric definitions change between versions (e.g. decidim/decidim#14287).

CREATE TABLE instances (
    instance_id      VARCHAR PRIMARY KEY,   -- canonical host, e.g. 'www.decidim.barcelona'
    platform         VARCHAR NOT NULL,      -- 'decidim' | 'consul' | ...
    base_url         VARCHAR NOT NULL,
    name             VARCHAR,
    platform_version VARCHAR,
    source_url       VARCHAR NOT NULL,
    checked_on       DATE NOT NULL
);

CREATE TABLE participation_spaces (
    instance_id  VARCHAR NOT NULL,
    space_id     VARCHAR NOT NULL,          -- e.g. 'ParticipatoryProcess/12'
    space_type   VARCHAR,
    title        VARCHAR,
    slug         VARCHAR,
    start_date   DATE,
    end_date     DATE,
    platform_version VARCHAR,
    source_url   VARCHAR NOT NULL,
    checked_on   DATE NOT NULL,
    PRIMARY KEY (instance_id, space_id)
);

CREATE TABLE proposals (
    instance_id      VARCHAR NOT NULL,
    proposal_id      VARCHAR NOT NULL,
    space_id         VARCHAR,
    component_id     VARCHAR,
    title            VARCHAR,
    body             VARCHAR,             -- stored as plain text; never rendered as HTML
    state            VARCHAR,             -- normalised: accepted | rejected | evaluating | withdrawn | published | not_answered | archived ...
    state_raw        VARCHAR,
    supports         INTEGER,
    comments_count   INTEGER,
    published_at     TIMESTAMP,
    author_hash      VARCHAR,
    category         VARCHAR,
    scope            VARCHAR,             -- district / geographic scope
    url              VARCHAR,
    platform         VARCHAR NOT NULL,
    platform_version VARCHAR,
    source_url       VARCHAR NOT NULL,
    checked_on       DATE NOT NULL,
    PRIMARY KEY (instance_id, proposal_id)
);

CREATE TABLE budgets (
    instance_id      VARCHAR NOT NULL,
    budget_id        VARCHAR NOT NULL,
    space_id         VARCHAR,
    title            VARCHAR,
    total_budget     DOUBLE,
    currency         VARCHAR,
    platform_version VARCHAR,
    source_url       VARCHAR NOT NULL,
    checked_on       DATE NOT NULL,
    PRIMARY KEY (instance_id, budget_id)
);

CREATE TABLE budget_projects (
    instance_id      VARCHAR NOT NULL,
    project_id       VARCHAR NOT NULL,
    budget_id        VARCHAR,
    title            VARCHAR,
    cost             DOUBLE,
    supports         INTEGER,
    selected         BOOLEAN,
    scope            VARCHAR,
    category         VARCHAR,
    platform_version VARCHAR,
    source_url       VARCHAR NOT NULL,
    checked_on       DATE NOT NULL,
    PRIMARY KEY (instance_id, project_id)
);

CREATE TABLE results (
    instance_id      VARCHAR NOT NULL,
    result_id        VARCHAR NOT NULL,
    space_id         VARCHAR,
    title            VARCHAR,
    progress         DOUBLE,              -- 0..100 as published by the platform
    status           VARCHAR,
    start_date       DATE,
    end_date         DATE,
    platform_version VARCHAR,
    source_url       VARCHAR NOT NULL,
    checked_on       DATE NOT NULL,
    PRIMARY KEY (instance_id, result_id)
);

CREATE TABLE meetings (
    instance_id      VARCHAR NOT NULL,
    meeting_id       VARCHAR NOT NULL,
    space_id         VARCHAR,
    title            VARCHAR,
    start_time       TIMESTAMP,
    end_time         TIMESTAMP,
    attendees_count  INTEGER,
    platform_version VARCHAR,
    source_url       VARCHAR NOT NULL,
    checked_on       DATE NOT NULL,
    PRIMARY KEY (instance_id, meeting_id)
);

CREATE TABLE comments (
    instance_id      VARCHAR NOT NULL,
    comment_id       VARCHAR NOT NULL,
    commentable_type VARCHAR,
    commentable_id   VARCHAR,
    body             VARCHAR,
    created_at       TIMESTAMP,
    author_hash      VARCHAR,
    platform_version VARCHAR,
    source_url       VARCHAR NOT NULL,
    checked_on       DATE NOT NULL,
    PRIMARY KEY (instance_id, comment_id)
);

-- Definitions of the figures shown for instances, so every number is printed beside its meaning.
CREATE TABLE metric_definitions (
    metric_id      VARCHAR PRIMARY KEY,
    label_en       VARCHAR NOT NULL,
    label_fr       VARCHAR NOT NULL,
    definition_en  VARCHAR NOT NULL,
    definition_fr  VARCHAR NOT NULL
);
