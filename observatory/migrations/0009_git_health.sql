-- 0009: software health and licence history read from each tool's own git history (docs/health.md).
-- Raw facts (git_commits, git_tags, git_licence_changes) are filled by `observatory collect git`;
-- the derived tables (repo_health_monthly, repo_health) by the same collector (origin = 'git') and by
-- the shipped package datasets/health (origin = 'dataset', replaced by `observatory build`).
-- Every row ties the repository to a catalogue tool_id and names the commit it was read at.

-- One row per commit reachable from the default branch. author_key is a salted hash of the
-- normalised e-mail after .mailmap (never the e-mail); author_org is the e-mail domain, NULL for
-- web-mail and forge no-reply domains (an individual, not an organisation). Merge commits have no
-- diff of their own (as `git log --numstat`): their line counts are NULL.
CREATE TABLE git_commits (
    tool_id        VARCHAR NOT NULL,
    repo           VARCHAR NOT NULL,
    "commit"       VARCHAR NOT NULL,
    authored_at    TIMESTAMP NOT NULL,
    committed_at   TIMESTAMP NOT NULL,
    author_key     VARCHAR NOT NULL,
    author_org     VARCHAR,
    files_changed  INTEGER,
    insertions     INTEGER,
    deletions      INTEGER,
    is_merge       BOOLEAN NOT NULL,
    run_id         VARCHAR NOT NULL,
    PRIMARY KEY (repo, "commit")
);

-- Tags; is_release = a version-like name without a pre-release marker (docs/health.md).
CREATE TABLE git_tags (
    tool_id     VARCHAR NOT NULL,
    repo        VARCHAR NOT NULL,
    tag         VARCHAR NOT NULL,
    "commit"    VARCHAR NOT NULL,
    tagged_at   TIMESTAMP NOT NULL,
    is_release  BOOLEAN NOT NULL,
    run_id      VARCHAR NOT NULL,
    PRIMARY KEY (repo, tag)
);

-- Every change, on the default branch's first-parent line, of what a licence file or a package
-- manifest's licence field says (SPDX expression before and after; NOASSERTION = text not recognised).
CREATE TABLE git_licence_changes (
    tool_id      VARCHAR NOT NULL,
    repo         VARCHAR NOT NULL,
    "commit"     VARCHAR NOT NULL,
    committed_at TIMESTAMP NOT NULL,
    path         VARCHAR NOT NULL,
    kind         VARCHAR NOT NULL CHECK (kind IN ('licence_file', 'manifest')),
    stated_before VARCHAR,          -- SPDX expression, NULL (absent / no field) or NOASSERTION (not recognised)
    stated_after  VARCHAR,
    evidence_url VARCHAR NOT NULL,
    origin       VARCHAR NOT NULL DEFAULT 'dataset',
    checked_on   DATE NOT NULL,
    PRIMARY KEY (repo, "commit", path, origin)
);

CREATE TABLE repo_health_monthly (
    tool_id          VARCHAR NOT NULL,
    repo             VARCHAR NOT NULL,
    month            DATE NOT NULL,
    commits          INTEGER NOT NULL,
    active_authors   INTEGER NOT NULL,
    new_authors      INTEGER NOT NULL,
    stopped_authors  INTEGER,           -- NULL while the next 12 months are not over at the date read
    releases         INTEGER NOT NULL,
    commit_read      VARCHAR NOT NULL,
    origin           VARCHAR NOT NULL DEFAULT 'dataset',
    PRIMARY KEY (repo, month, origin)
);

-- One row per repository. coverage = 'full' (whole history read) or 'partial' (only what public
-- sources readable offline give; missing_reason says why, metrics not measured are NULL).
-- status_reason is a code and status_params its JSON parameters: the dashboard words them per locale.
CREATE TABLE repo_health (
    tool_id               VARCHAR NOT NULL,
    repo                  VARCHAR NOT NULL,
    coverage              VARCHAR NOT NULL CHECK (coverage IN ('full', 'partial')),
    missing_reason        VARCHAR,
    commit_read           VARCHAR,
    read_on               DATE NOT NULL,
    first_commit_at       TIMESTAMP,
    last_commit_at        TIMESTAMP,
    commits_total         INTEGER,
    authors_total         INTEGER,
    commits_12m           INTEGER,
    commits_prev_12m      INTEGER,
    last_release          VARCHAR,
    last_release_at       DATE,
    last_release_age_days INTEGER,
    releases_3y           INTEGER,
    release_cadence_days  DOUBLE,
    bus_factor            INTEGER,
    elephant_factor       INTEGER,
    top_org               VARCHAR,
    top_org_share         DOUBLE,
    status                VARCHAR CHECK (status IN ('active', 'slowing', 'dormant', 'archived')),
    status_reason         VARCHAR,
    status_params         VARCHAR,
    source                VARCHAR NOT NULL,
    source_url            VARCHAR NOT NULL,
    origin                VARCHAR NOT NULL DEFAULT 'dataset',
    checked_on            DATE NOT NULL,
    PRIMARY KEY (repo, origin)
);

INSERT INTO table_meta (table_name, package, title, description, licence, source, checked_on, loaded_at) VALUES
    ('git_commits', 'collectors', 'Git commits',
     'One row per commit of each tool''s default branch: dates, hashed author, diff size (observatory collect git).',
     NULL, 'collectors:git', NULL, NULL),
    ('git_tags', 'collectors', 'Git tags',
     'Tags of each tool''s repository; is_release marks version-like tags (observatory collect git).',
     NULL, 'collectors:git', NULL, NULL);

-- Licence events read from git (licence_events.source = 'git', migration 0008) that the curated rows do not
-- have (a first licence, or a change from one licence to another), and curated licence-file / manifest events
-- that git does not show, for tools whose whole history was read. Two events match when they name the same
-- licence within 31 days.
CREATE VIEW licence_event_conflicts AS
WITH git AS (SELECT * FROM licence_events WHERE source = 'git'),
     cur AS (SELECT * FROM licence_events WHERE source = 'curated'),
     read_in_full AS (SELECT DISTINCT tool_id FROM repo_health WHERE coverage = 'full')
SELECT g.tool_id, CASE WHEN g.from_spdx IS NULL THEN 'git_first_not_curated' ELSE 'git_change_not_curated' END AS kind, g.date, g.declaration_source, g.from_spdx, g.to_spdx, g.evidence_url,
       (SELECT string_agg(c.to_spdx || ' on ' || CAST(c.date AS VARCHAR), '; ' ORDER BY c.date)
          FROM cur c WHERE c.tool_id = g.tool_id) AS curated_events
FROM git g
WHERE NOT EXISTS (SELECT 1 FROM cur c WHERE c.tool_id = g.tool_id AND c.to_spdx = g.to_spdx
                  AND abs(date_diff('day', c.date, g.date)) <= 31)
UNION ALL
SELECT c.tool_id, 'curated_not_in_git' AS kind, c.date, c.declaration_source, c.from_spdx, c.to_spdx, c.evidence_url,
       NULL AS curated_events
FROM cur c JOIN read_in_full USING (tool_id)
WHERE c.declaration_source IN ('licence_file', 'manifest', 'publiccode')
  AND NOT EXISTS (SELECT 1 FROM git g WHERE g.tool_id = c.tool_id AND g.to_spdx = c.to_spdx
                  AND abs(date_diff('day', c.date, g.date)) <= 31);
