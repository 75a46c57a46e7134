-- 0004: participatory-budgeting editions (Pabulib files), ballots, lenient-mode problems and the
-- precomputed outcome of every rule, so dashboards and reports only read.
-- Exact values (budget, costs) are kept as text fractions beside the DOUBLE columns.

CREATE TABLE pb_editions (
    edition_id      VARCHAR PRIMARY KEY,      -- file name without .pb
    file_name       VARCHAR NOT NULL,
    sha256          VARCHAR NOT NULL,
    country         VARCHAR,
    unit            VARCHAR,
    subunit         VARCHAR,
    instance        VARCHAR,
    vote_type       VARCHAR NOT NULL,
    budget          DOUBLE NOT NULL,
    budget_exact    VARCHAR NOT NULL,
    currency        VARCHAR,
    n_voters        INTEGER NOT NULL,
    n_projects      INTEGER NOT NULL,
    declared_rule   VARCHAR,
    description     VARCHAR,
    source_url      VARCHAR,
    checked_on      DATE,
    meta            JSON,                     -- every META key verbatim
    project_columns VARCHAR[],
    voter_columns   VARCHAR[],
    n_problems      INTEGER NOT NULL DEFAULT 0,
    imported_at     TIMESTAMP NOT NULL
);

CREATE TABLE pb_projects (
    edition_id  VARCHAR,
    position    INTEGER NOT NULL,             -- order in the file
    project_id  VARCHAR,
    name        VARCHAR,
    cost        DOUBLE NOT NULL,
    cost_exact  VARCHAR NOT NULL,
    votes       DOUBLE,                       -- approvals counted from the ballots
    score       DOUBLE,                       -- points (cumulative) / positional points (ordinal)
    category    VARCHAR,
    target      VARCHAR,
    district    VARCHAR,
    selected    INTEGER,                      -- the file's code: 1 funded, 0 not, others special
    latitude    DOUBLE,
    longitude   DOUBLE,
    extra       JSON,                         -- every PROJECTS column verbatim
    PRIMARY KEY (edition_id, project_id)
);

CREATE TABLE pb_voters (
    edition_id    VARCHAR,
    position      INTEGER NOT NULL,
    voter_id      VARCHAR,
    age           INTEGER,
    sex           VARCHAR,
    neighborhood  VARCHAR,
    voting_method VARCHAR,
    extra         JSON,                       -- the other voter columns verbatim (age ranges, surveys)
    PRIMARY KEY (edition_id, voter_id)
);

-- Ballots in long columnar form: one row per ballot entry, in ballot order.
CREATE TABLE pb_votes (
    edition_id VARCHAR NOT NULL,
    voter_id   VARCHAR NOT NULL,
    project_id VARCHAR NOT NULL,
    points     DOUBLE,
    rank       INTEGER NOT NULL              -- position on the ballot, 0 = first
);

CREATE TABLE pb_problems (
    edition_id  VARCHAR NOT NULL,
    file_name   VARCHAR NOT NULL,
    line        INTEGER,
    field       VARCHAR,
    message     VARCHAR NOT NULL,
    fatal       BOOLEAN NOT NULL DEFAULT false,
    recorded_at TIMESTAMP NOT NULL
);

CREATE TABLE pb_outcomes (
    edition_id               VARCHAR,
    rule                     VARCHAR,
    selected                 VARCHAR[],
    n_selected               INTEGER,
    cost                     DOUBLE,
    budget_share             DOUBLE,
    supports                 BIGINT,
    voters_with_funded_share DOUBLE,
    mean_satisfaction_cost   DOUBLE,
    mean_satisfaction_count  DOUBLE,
    gini_satisfaction        DOUBLE,
    n_changed_vs_greedy      INTEGER,
    seconds                  DOUBLE,
    error                    VARCHAR,         -- set when the rule gave no outcome (not applicable, timeout)
    computed_at              TIMESTAMP NOT NULL,
    PRIMARY KEY (edition_id, rule)
);

CREATE TABLE pb_outcome_groups (
    edition_id   VARCHAR,
    rule         VARCHAR,
    group_kind   VARCHAR,                     -- district | category | neighborhood
    group_value  VARCHAR,
    funded_cost  DOUBLE NOT NULL,
    total_cost   DOUBLE NOT NULL,
    funded_share DOUBLE,
    PRIMARY KEY (edition_id, rule, group_kind, group_value)
);
