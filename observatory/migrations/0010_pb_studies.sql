-- 0010: results of PB studies (`observatory pb study`): one row per edition x parameters x rule, the same
-- columns as the study's Parquet dataset, under the study's name (a re-run of a study replaces its rows).

CREATE TABLE pb_study_results (
    study                    VARCHAR NOT NULL,
    task_id                  VARCHAR NOT NULL,   -- edition|scale=...|sub=...|seed=...|tie=...
    edition_id               VARCHAR NOT NULL,
    country                  VARCHAR,
    year                     INTEGER,
    vote_type                VARCHAR,
    n_voters                 BIGINT,
    n_projects               BIGINT,
    budget                   DOUBLE,
    budget_exact             VARCHAR,
    budget_scale             VARCHAR,            -- exact decimal fraction, e.g. 3/2
    subsample                DOUBLE,
    seed                     BIGINT,
    tie_breaking             VARCHAR,
    rule                     VARCHAR NOT NULL,
    selected                 VARCHAR[],
    n_selected               BIGINT,
    cost                     DOUBLE,
    budget_share             DOUBLE,
    supports                 DOUBLE,
    voters_with_funded_share DOUBLE,
    mean_satisfaction_cost   DOUBLE,
    mean_satisfaction_count  DOUBLE,
    gini_satisfaction        DOUBLE,
    error                    VARCHAR,
    run_at                   TIMESTAMP NOT NULL
);

INSERT INTO table_meta (table_name, package, title, description, licence, source, checked_on, loaded_at) VALUES
    ('pb_study_results', 'pabulib', 'PB study results',
     'One row per edition x parameters (budget scale, voter subsample, tie-breaking) x rule of a declared study.',
     'unspecified — cite Pabulib (Stolicki, Szufa, Talmon, arXiv:2012.06539)', 'observatory pb study', NULL, NULL);
