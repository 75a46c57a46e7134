-- 0003: collectors — raw archive index, run log, and the tables collectors fill.
-- Every collected row carries run_id, so it can be traced to the raw responses it came from
-- and rebuilt offline from the archive (`observatory rebuild`).

-- One row per final HTTP outcome (after retries): the body lives gzip-compressed on disk under
-- <archive>/<sha256[:2]>/<sha256>.gz; failures (timeout, TLS, too large...) are kept as error rows so
-- a replay reproduces them exactly. URLs are stored with secrets stripped; no request header is kept.
CREATE TABLE raw_responses (
    run_id        VARCHAR NOT NULL,
    seq           INTEGER NOT NULL,
    method        VARCHAR NOT NULL,
    url           VARCHAR NOT NULL,
    body_sha256   VARCHAR,          -- sha256 of the request body (POST/GraphQL), NULL for GET
    status        INTEGER,          -- NULL when no response arrived (see error_kind)
    headers       JSON,
    fetched_at    TIMESTAMP NOT NULL,
    sha256        VARCHAR,          -- sha256 of the response body (the archive file name)
    size          BIGINT,
    final_url     VARCHAR,
    redirects     INTEGER,
    elapsed_ms    DOUBLE,
    not_modified  BOOLEAN NOT NULL DEFAULT FALSE,  -- 304 answered: body replayed from an earlier entry
    error_kind    VARCHAR,
    error         VARCHAR,
    PRIMARY KEY (run_id, seq)
);

CREATE TABLE collector_runs (
    run_id       VARCHAR PRIMARY KEY,
    collector    VARCHAR NOT NULL,
    version      VARCHAR NOT NULL,
    started_at   TIMESTAMP NOT NULL,
    finished_at  TIMESTAMP,
    status       VARCHAR NOT NULL CHECK (status IN ('running', 'ok', 'partial', 'failed')),
    fetched      INTEGER NOT NULL DEFAULT 0,
    skipped      INTEGER NOT NULL DEFAULT 0,
    failed       INTEGER NOT NULL DEFAULT 0,
    errors       VARCHAR[],
    endpoint     VARCHAR,
    since        DATE
);

-- Dated snapshots of a tool's repository (GitHub or GitLab); one per tool and day.
CREATE TABLE repo_snapshots (
    tool_id              VARCHAR NOT NULL,
    repo                 VARCHAR NOT NULL,
    forge                VARCHAR NOT NULL CHECK (forge IN ('github', 'gitlab')),
    fetched_at           TIMESTAMP NOT NULL,
    stars                INTEGER,
    forks                INTEGER,
    watchers             INTEGER,
    open_issues          INTEGER,
    default_branch       VARCHAR,
    licence_spdx         VARCHAR,
    licence_mismatch     BOOLEAN,
    archived             BOOLEAN,
    created_at           TIMESTAMP,
    pushed_at            TIMESTAMP,
    latest_release       VARCHAR,
    latest_release_at    TIMESTAMP,
    latest_tag           VARCHAR,
    releases_last_year   INTEGER,
    release_cadence_days DOUBLE,
    contributors         INTEGER,
    commits_last_52w     INTEGER,
    commit_weeks         INTEGER[],
    run_id               VARCHAR NOT NULL,
    source_url           VARCHAR NOT NULL
);

CREATE TABLE package_versions (
    tool_id      VARCHAR NOT NULL,
    registry     VARCHAR NOT NULL CHECK (registry IN ('rubygems', 'npm', 'pypi', 'dockerhub')),
    package      VARCHAR NOT NULL,
    version      VARCHAR NOT NULL,
    released_at  TIMESTAMP,
    downloads    BIGINT,
    source_url   VARCHAR NOT NULL,
    fetched_at   TIMESTAMP NOT NULL,
    run_id       VARCHAR NOT NULL
);

CREATE TABLE deployment_probes (
    deployment_id    VARCHAR NOT NULL,
    url              VARCHAR NOT NULL,
    probed_at        TIMESTAMP NOT NULL,
    reachable        BOOLEAN NOT NULL,
    status           INTEGER,
    final_url        VARCHAR,
    redirects        INTEGER,
    tls_error        BOOLEAN NOT NULL DEFAULT FALSE,
    error            VARCHAR,
    platform         VARCHAR,
    platform_version VARCHAR,
    generator        VARCHAR,
    response_ms      DOUBLE,
    run_id           VARCHAR NOT NULL
);

CREATE TABLE deployment_changes (
    deployment_id  VARCHAR NOT NULL,
    change         VARCHAR NOT NULL CHECK (change IN ('added', 'removed', 'reappeared')),
    changed_on     DATE NOT NULL,
    source_url     VARCHAR NOT NULL,
    run_id         VARCHAR NOT NULL
);

INSERT INTO table_meta (table_name, package, title, description, licence, source, checked_on, loaded_at) VALUES
    ('raw_responses', 'collectors', 'Raw HTTP archive index',
     'One row per HTTP outcome fetched by a collector; bodies are gzip files named by sha256 in the archive folder.',
     NULL, 'collectors', NULL, NULL),
    ('collector_runs', 'collectors', 'Collector runs',
     'One row per collector run: status, items fetched/skipped/failed and error messages.', NULL, 'collectors', NULL, NULL),
    ('repo_snapshots', 'collectors', 'Repository health snapshots',
     'Dated snapshots of each tool''s repository from the GitHub REST v3 and GitLab v4 APIs.',
     'facts from the GitHub and GitLab APIs', 'collectors:github,gitlab', NULL, NULL),
    ('package_versions', 'collectors', 'Published package versions',
     'Versions, release dates and downloads from RubyGems, npm, PyPI and Docker Hub.',
     'facts from public registry APIs', 'collectors:registries', NULL, NULL),
    ('deployment_probes', 'collectors', 'Deployment liveness probes',
     'Dated probes of each deployment URL: reachability, redirects, TLS errors, platform and version.',
     NULL, 'collectors:probe', NULL, NULL),
    ('deployment_changes', 'collectors', 'Deployment list changes',
     'Additions, removals and reappearances of deployments in the published lists, with dates.',
     NULL, 'collectors:deployments', NULL, NULL);
